package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.Role;
import dev.ballast.core.pipeline.AssembleContextSpec;
import dev.ballast.core.pipeline.CodeSpec;
import dev.ballast.core.pipeline.EmbedSpec;
import dev.ballast.core.pipeline.GenerateSpec;
import dev.ballast.core.pipeline.HttpActionSpec;
import dev.ballast.core.pipeline.HttpMethod;
import dev.ballast.core.pipeline.MemoryUpdateSpec;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.RetrievalMode;
import dev.ballast.core.pipeline.RetrieveSpec;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StageSpec;
import dev.ballast.core.pipeline.TransformSpec;
import dev.ballast.core.pipeline.ValidateSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stage specs: every stage kind reads from YAML into its typed record and back, and a known
 * configuration keeps its pipeline version (a run pins the version it was submitted under, so a
 * changed version for an unchanged configuration would strand the runs in flight).
 */
class StageSpecTest {
  private static final String BASE =
      """
      providers: {sim: {type: simulator}}
      deployments: {d1: {provider: sim, model: sim}}
      groups:
        fast: {deployments: [d1], context_window: 8000, larger_context: big}
        big: {deployments: [d1], context_window: 128000}
      tenants: {t: {keys: ["sha256:%s"]}}
      collections: {docs: {}}
      """
          .formatted("a".repeat(64));

  static final String ALL_KINDS =
      """
      prompts:
        summarize: {system: "Be brief.", user: "Summarize: {{input.text}}"}
        rag: "{{input.question}}"
      pipelines:
        every:
          stages:
            - {name: summarize, type: generate, group: fast, prompt: summarize, timeout: 20s,
               schema: {type: object}, max_tokens: 200, temperature: 0,
               retry: {max_attempts: 5, backoff: 200ms, max_backoff: 5s}}
            - {name: warm, type: generate, group: fast, prompt: summarize, temperature: 0.7}
            - {name: vec, type: embed, group: fast, text: "{{input.question}}"}
            - {name: find, type: retrieve, collection: docs, query: "{{input.question}}", k: 3,
               mode: vector, vector_from: vec}
            - {name: context, type: assemble_context, group: fast, prompt: rag, chunks: find,
               conversation: "{{input.conversation_id}}", reserve_output: 256}
            - {name: answer, type: generate, group: fast, context: context}
            - {name: check, type: validate, of: summarize, schema: {type: object}}
            - {name: shape, type: transform, output: {text: "{{stages.answer.text}}", n: 3}}
            - {name: notify, type: http_action, url: "https://hooks.example.com/x",
               method: PUT, body: {summary: "{{stages.shape.text}}"},
               headers: {X-Team: ops, X-Count: 3}}
            - name: remember
              type: memory_update
              conversation: "{{input.conversation_id}}"
              append:
                - {role: user, content: "{{input.question}}"}
                - {role: assistant, content: "{{stages.answer.text}}"}
              facts: {topic: "{{input.topic}}"}
      """;

  /** Numbers written as text, numbers where text is expected, nulls: each kept as written. */
  static final String ODD_FORMS =
      """
      prompts:
        p: "{{input.q}}"
      pipelines:
        odd:
          stages:
            - {name: gen, type: generate, group: fast, prompt: p, max_tokens: "64",
               temperature: "0.5", schema: null}
            - {name: gen2, type: generate, group: fast, prompt: p, temperature: 1}
            - {name: find, type: retrieve, collection: docs, query: 42, k: "7", mode: null}
            - {name: ctx, type: assemble_context, group: big, prompt: p, reserve_output: "100",
               question: ignored}
            - {name: hook, type: http_action, url: "http://127.0.0.1:9/h", method: PATCH,
               headers: {X-N: 1.50, X-B: true}, body: [1, "{{stages.gen.text}}"]}
            - {name: mem, type: memory_update, conversation: "c-{{input.id}}",
               append: [{role: system, content: 7}]}
      """;

  static BallastConfig parse(String yaml) {
    return ConfigLoader.parse("p.yaml", BASE + yaml, Map.of());
  }

  @Test
  void aKnownConfigurationKeepsItsVersion() {
    PipelineDefinition p = parse(ALL_KINDS).pipeline("every").orElseThrow();
    assertThat(p.version()).isEqualTo("12626feba59f");
    assertThat(parse(ODD_FORMS).pipeline("odd").orElseThrow().version()).isEqualTo("2edb3800c5ba");
  }

  @Test
  void everyStageKindReadsIntoItsTypedSpecAndRoundTrips() {
    PipelineDefinition p = parse(ALL_KINDS).pipeline("every").orElseThrow();
    List<StageSpec> specs = p.stages().stream().map(StageDefinition::spec).toList();
    assertThat(specs.stream().map(s -> s.getClass().getSimpleName()).toList())
        .containsExactly(
            "GenerateSpec",
            "GenerateSpec",
            "EmbedSpec",
            "RetrieveSpec",
            "AssembleContextSpec",
            "GenerateSpec",
            "ValidateSpec",
            "TransformSpec",
            "HttpActionSpec",
            "MemoryUpdateSpec");
    for (int i = 0; i < specs.size(); i++) {
      StageSpec spec = specs.get(i);
      assertThat(spec.type()).isEqualTo(p.stage(i).type());
      assertThat(StageSpec.of(spec.type(), spec.params())).isEqualTo(spec);
      assertThat(p.stage(i).policy().effectful()).isEqualTo(spec.effectful());
    }

    GenerateSpec summarize = (GenerateSpec) specs.get(0);
    assertThat(summarize.group()).isEqualTo("fast");
    assertThat(summarize.prompt().name()).isEqualTo("summarize");
    assertThat(summarize.prompt().system()).isEqualTo("Be brief.");
    assertThat(summarize.prompt().user()).isEqualTo("Summarize: {{input.text}}");
    assertThat(summarize.prompt().version()).isNotBlank();
    assertThat(summarize.schema().path("type").asText()).isEqualTo("object");
    assertThat(summarize.maxTokens()).isEqualTo(200);
    assertThat(summarize.temperature()).isEqualTo(0.0);
    assertThat(((GenerateSpec) specs.get(1)).temperature()).isEqualTo(0.7);
    assertThat(p.stage(0).policy().dependency()).isEqualTo("model:fast");

    assertThat(specs.get(2)).isEqualTo(new EmbedSpec("fast", "{{input.question}}"));
    assertThat(specs.get(3))
        .isEqualTo(new RetrieveSpec("docs", "{{input.question}}", 3, RetrievalMode.VECTOR, "vec"));

    AssembleContextSpec context = (AssembleContextSpec) specs.get(4);
    assertThat(context.chunks()).isEqualTo("find");
    assertThat(context.readsMemory()).isTrue();
    assertThat(context.reserveOutput()).isEqualTo(256);
    assertThat(context.contextWindow()).isEqualTo(8000);
    assertThat(context.largerContext()).isEqualTo("big");
    assertThat(context.largerContextWindow()).isEqualTo(128000);
    assertThat(context.prompt().user()).isEqualTo("{{input.question}}");

    GenerateSpec answer = (GenerateSpec) specs.get(5);
    assertThat(answer.context()).isEqualTo("context");
    assertThat(answer.prompt()).isNull();

    assertThat(((ValidateSpec) specs.get(6)).of()).isEqualTo("summarize");
    assertThat(((TransformSpec) specs.get(7)).output().path("n").asInt()).isEqualTo(3);

    HttpActionSpec notify = (HttpActionSpec) specs.get(8);
    assertThat(notify.method()).isEqualTo(HttpMethod.PUT);
    assertThat(notify.headers())
        .containsExactly(Map.entry("X-Team", "ops"), Map.entry("X-Count", "3"));
    assertThat(notify.body().path("summary").asText()).isEqualTo("{{stages.shape.text}}");
    assertThat(p.stage(8).policy().dependency()).isEqualTo("http:hooks.example.com:443");

    MemoryUpdateSpec remember = (MemoryUpdateSpec) specs.get(9);
    assertThat(remember.conversation()).isEqualTo("{{input.conversation_id}}");
    assertThat(remember.append())
        .containsExactly(
            new MemoryUpdateSpec.Turn(Role.USER, "{{input.question}}"),
            new MemoryUpdateSpec.Turn(Role.ASSISTANT, "{{stages.answer.text}}"));
    assertThat(remember.facts()).containsExactly(Map.entry("topic", "{{input.topic}}"));
  }

  @Test
  void oddFormsDecodeAsTheHandlersReadThemBefore() {
    PipelineDefinition p = parse(ODD_FORMS).pipeline("odd").orElseThrow();
    for (StageDefinition stage : p.stages()) {
      StageSpec spec = stage.spec();
      assertThat(StageSpec.of(spec.type(), spec.params())).isEqualTo(spec);
    }
    GenerateSpec gen = (GenerateSpec) p.stage(0).spec();
    assertThat(gen.maxTokens()).isEqualTo(64);
    assertThat(gen.temperature()).isEqualTo(0.5);
    assertThat(gen.schema()).isNull();
    assertThat(((GenerateSpec) p.stage(1).spec()).temperature()).isEqualTo(1.0);
    assertThat(p.stage(2).spec())
        .isEqualTo(new RetrieveSpec("docs", "42", 7, RetrievalMode.HYBRID, null));
    assertThat(((AssembleContextSpec) p.stage(3).spec()).reserveOutput()).isEqualTo(100);
    assertThat(((AssembleContextSpec) p.stage(3).spec()).largerContext()).isNull();
    HttpActionSpec hook = (HttpActionSpec) p.stage(4).spec();
    assertThat(hook.headers()).containsExactly(Map.entry("X-N", "1.5"), Map.entry("X-B", "true"));
    assertThat(hook.body().isArray()).isTrue();
    assertThat(((MemoryUpdateSpec) p.stage(5).spec()).append())
        .containsExactly(new MemoryUpdateSpec.Turn(Role.SYSTEM, "7"));
  }

  @Test
  void defaultsAreTyped() {
    PipelineDefinition p =
        parse(
                """
                pipelines:
                  d:
                    stages:
                      - {name: find, type: retrieve, collection: docs, query: "{{input.q}}"}
                      - {name: hook, type: http_action, url: "http://127.0.0.1:9/h"}
                """)
            .pipeline("d")
            .orElseThrow();
    assertThat(p.stage(0).spec())
        .isEqualTo(new RetrieveSpec("docs", "{{input.q}}", 5, RetrievalMode.HYBRID, null));
    assertThat(p.stage(1).spec())
        .isEqualTo(new HttpActionSpec("http://127.0.0.1:9/h", HttpMethod.POST, Map.of(), null));
  }

  @Test
  void aCodeDefinedStageHasACodeSpec() {
    StageDefinition stage =
        Pipeline.named("code")
            .stage("fetch", ctx -> null)
            .version("2")
            .build()
            .definition()
            .stage(0);
    CodeSpec spec = (CodeSpec) stage.spec();
    assertThat(spec.version()).isEqualTo("2");
    assertThat(spec.params()).isEqualTo(stage.params());
  }

  @Test
  void invalidParametersAreRejectedWithTheirPaths() {
    assertRejected(
        "{name: s, type: retrieve, collection: docs, query: q, mode: fuzzy}",
        "pipelines.bad.stages[0].mode: expected vector, keyword or hybrid, but was \"fuzzy\"");
    assertRejected(
        "{name: s, type: retrieve, collection: docs, query: q, k: 500}",
        "pipelines.bad.stages[0].k: must be between 1 and 100, but was 500");
    assertRejected(
        "{name: s, type: http_action, url: \"http://h/x\", method: GET}",
        "pipelines.bad.stages[0].method: expected POST, PUT, PATCH or DELETE, but was \"GET\"");
    assertRejected(
        "{name: s, type: generate, group: fast, prompt: p, max_tokens: lots}",
        "pipelines.bad.stages[0].max_tokens: expected an integer, but was \"lots\"");
    assertRejected(
        "{name: s, type: generate, group: fast, prompt: p, temperature: -1}",
        "pipelines.bad.stages[0].temperature: must be a non-negative number, but was -1");
    assertRejected(
        "{name: s, type: memory_update, conversation: c, append: [{role: robot, content: x}]}",
        "pipelines.bad.stages[0].append[0].role: expected user, assistant or system, but was"
            + " \"robot\"");
    assertRejected(
        "{name: s, type: embed, group: fast, text: t, colour: red}",
        "pipelines.bad.stages[0].colour: unknown key");
    assertRejected(
        "{name: s, type: transform, output: null}", "pipelines.bad.stages[0].output: is required");
    assertRejected(
        "{name: s, type: embed, group: null, text: t}",
        "pipelines.bad.stages[0]: a required parameter of this embed stage is null");
  }

  @Test
  void invalidCanonicalParametersAreRejected() {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.put("collection", "docs").put("query", "q").put("mode", "fuzzy");
    assertThatThrownBy(() -> StageSpec.of("retrieve", params))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected vector, keyword or hybrid");
    assertThatThrownBy(() -> StageSpec.of("teleport", params))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown stage type");
    assertThatThrownBy(() -> StageSpec.of("embed", params))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group is required");
  }

  private static void assertRejected(String stage, String message) {
    String yaml =
        """
        prompts: {p: "hi"}
        pipelines:
          bad:
            stages:
              - %s
        """
            .formatted(stage);
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
