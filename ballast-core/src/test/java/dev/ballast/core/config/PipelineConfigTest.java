package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageDefinition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
  private static final String BASE =
      """
      providers: {sim: {type: simulator}}
      deployments: {d1: {provider: sim, model: sim}}
      groups: {fast: {deployments: [d1]}}
      tenants: {t: {keys: ["sha256:%s"]}}
      """
          .formatted("a".repeat(64));

  private static final String PIPELINE =
      """
      prompts:
        summarize: {system: "Be brief.", user: "Summarize: {{input.text}}"}
      pipelines:
        digest:
          description: summarize and notify
          max_concurrent: 4
          stages:
            - {name: summarize, type: generate, group: fast, prompt: summarize, timeout: 20s,
               retry: {max_attempts: 5, backoff: 200ms, max_backoff: 5s}}
            - {name: shape, type: transform, output: {text: "{{stages.summarize.text}}"}}
            - {name: notify, type: http_action, url: "http://127.0.0.1:9/hook",
               body: {summary: "{{stages.shape.text}}"}, headers: {X-Team: ops}}
      """;

  private static BallastConfig parse(String yaml) {
    return ConfigLoader.parse("p.yaml", BASE + yaml, Map.of());
  }

  @Test
  void readsStagesWithPoliciesDependenciesAndResolvedPrompts() {
    PipelineDefinition p = parse(PIPELINE).pipeline("digest").orElseThrow();
    assertThat(p.maxConcurrent()).isEqualTo(4);
    assertThat(p.stages())
        .extracting(StageDefinition::name)
        .containsExactly("summarize", "shape", "notify");
    StageDefinition generate = p.stage(0);
    assertThat(generate.policy().timeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(generate.policy().retry().maxAttempts()).isEqualTo(5);
    assertThat(generate.policy().retry().initialBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(generate.policy().dependency()).isEqualTo("model:fast");
    assertThat(generate.param("user_template")).isEqualTo("Summarize: {{input.text}}");
    assertThat(generate.policy().effectful()).isFalse();
    StageDefinition notify = p.stage(2);
    assertThat(notify.policy().effectful()).isTrue();
    assertThat(notify.policy().dependency()).isEqualTo("http:127.0.0.1:9");
    assertThat(notify.param("method")).isEqualTo("POST");
    assertThat(p.version()).hasSize(12);
  }

  @Test
  void theVersionFollowsContentNotFormattingOrDescription() {
    String v = parse(PIPELINE).pipeline("digest").orElseThrow().version();
    String reordered =
        PIPELINE
            .replace("description: summarize and notify", "description: something else")
            .replace(
                "{name: shape, type: transform, output: {text: \"{{stages.summarize.text}}\"}}",
                "{output: {text: \"{{stages.summarize.text}}\"}, type: transform, name: shape}");
    assertThat(parse(reordered).pipeline("digest").orElseThrow().version()).isEqualTo(v);
    String promptChanged = PIPELINE.replace("Summarize: ", "Summarise: ");
    assertThat(parse(promptChanged).pipeline("digest").orElseThrow().version()).isNotEqualTo(v);
    String timeoutChanged = PIPELINE.replace("timeout: 20s", "timeout: 21s");
    assertThat(parse(timeoutChanged).pipeline("digest").orElseThrow().version()).isNotEqualTo(v);
  }

  @Test
  void reportsEveryMistakeWithItsPath() {
    String broken =
        """
        pipelines:
          bad:
            stages:
              - {name: a, type: generate, group: nope, prompt: missing}
              - {name: b, type: transform, output: "{{stages.c.x}}"}
              - {name: c, type: http_action, url: "ftp://x/y", headers: {Idempotency-Key: k}}
              - {name: d, type: teleport}
              - {name: e, type: retrieve}
              - {name: f, type: validate, of: zzz, schema: {type: object}, colour: red}
        workers: {lease: 10s, heartbeat: 8s}
        server: {role: janitor}
        """;
    assertThatThrownBy(() -> parse(broken))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pipelines.bad.stages[0].group: unknown model group \"nope\"")
        .hasMessageContaining("pipelines.bad.stages[0].prompt: unknown prompt \"missing\"")
        .hasMessageContaining(
            "pipelines.bad.stages[1].output: refers to stages.c, which is not an earlier stage")
        .hasMessageContaining("pipelines.bad.stages[2].url: expected an http:// or https:// URL")
        .hasMessageContaining("pipelines.bad.stages[2].headers.Idempotency-Key")
        .hasMessageContaining("pipelines.bad.stages[3].type: unknown stage type \"teleport\"")
        .hasMessageContaining("pipelines.bad.stages[4].collection: is required")
        .hasMessageContaining("pipelines.bad.stages[4].query: is required")
        .hasMessageContaining("pipelines.bad.stages[5].of: must name an earlier stage")
        .hasMessageContaining("pipelines.bad.stages[5].colour: unknown key")
        .hasMessageContaining("workers.heartbeat: must be at most half of workers.lease")
        .hasMessageContaining("server.role: expected gateway, worker or both");
  }

  @Test
  void aDeclaredOutputIsReadIntoTheDefinitionAndItsVersion() {
    String declared =
        PIPELINE.replace(
            "    stages:\n", "    output: {summary: \"{{stages.shape.text}}\"}\n    stages:\n");
    PipelineDefinition p = parse(declared).pipeline("digest").orElseThrow();
    assertThat(p.output().toString()).isEqualTo("{\"summary\":\"{{stages.shape.text}}\"}");
    assertThat(p.version())
        .isNotEqualTo(parse(PIPELINE).pipeline("digest").orElseThrow().version());
    assertThat(parse(PIPELINE).pipeline("digest").orElseThrow().output()).isNull();
  }

  @Test
  void aDeclaredOutputMayReferOnlyToStagesOfThePipeline() {
    String broken =
        PIPELINE.replace("    stages:\n", "    output: \"{{stages.nowhere.text}}\"\n    stages:\n");
    assertThatThrownBy(() -> parse(broken))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "pipelines.digest.output: refers to stages.nowhere, which is not a stage of this"
                + " pipeline");
  }

  private static final String RAG =
      """
      collections: {docs: {}}
      prompts:
        rag: {system: "Answer from the sources.", user: "{{input.question}}"}
      pipelines:
        rag:
          stages:
            - {name: find, type: retrieve, collection: docs, query: "{{input.question}}", k: 3}
            - {name: context, type: assemble_context, group: fast, prompt: rag, chunks: find,
               conversation: "{{input.conversation_id}}", reserve_output: 256}
            - {name: answer, type: generate, group: fast, context: context}
            - name: remember
              type: memory_update
              conversation: "{{input.conversation_id}}"
              append:
                - {role: user, content: "{{input.question}}"}
                - {role: assistant, content: "{{stages.answer.text}}"}
      """;

  @Test
  void readsStateStagesWithTheirGroupsContextWindowAndPinnedConversation() {
    BallastConfig config = parse(RAG);
    PipelineDefinition p = config.pipeline("rag").orElseThrow();
    StageDefinition find = p.stage(0);
    assertThat(find.param("collection")).isEqualTo("docs");
    assertThat(find.params().get("k").asInt()).isEqualTo(3);
    assertThat(find.param("mode")).isEqualTo("hybrid");
    StageDefinition context = p.stage(1);
    assertThat(context.params().get("context_window").asInt())
        .isEqualTo(GroupConfig.DEFAULT_CONTEXT_WINDOW);
    assertThat(context.params().get("reserve_output").asInt()).isEqualTo(256);
    assertThat(context.param("user_template")).isEqualTo("{{input.question}}");
    assertThat(p.stage(2).param("context")).isEqualTo("context");
    assertThat(p.stage(3).policy().effectful()).isTrue();
  }

  @Test
  void stateStagesReportWrongReferencesAndAConversationThatIsNotPinnable() {
    String broken =
        RAG.replace("chunks: find", "chunks: answer")
            .replace(
                "conversation: \"{{input.conversation_id}}\", reserve_output: 256",
                "conversation: \"{{stages.find.x}}\", reserve_output: 99999")
            .replace("context: context}", "context: find}");
    assertThatThrownBy(() -> parse(broken))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "pipelines.rag.stages[1].chunks: must name an earlier stage of this pipeline")
        .hasMessageContaining("pipelines.rag.stages[1].conversation: may refer only to {{input")
        .hasMessageContaining(
            "pipelines.rag.stages[1].reserve_output: must be less than the context window")
        .hasMessageContaining(
            "pipelines.rag.stages[2].context: must name an earlier assemble_context stage, but"
                + " \"find\" is a retrieve stage");
  }

  @Test
  void groupsStateTheirContextWindow() {
    BallastConfig config =
        ConfigLoader.parse(
            "p.yaml",
            BASE.replace(
                "groups: {fast: {deployments: [d1]}}",
                "groups: {fast: {deployments: [d1], context_window: 128000}}"),
            Map.of());
    assertThat(config.groups().get("fast").contextWindow()).isEqualTo(128000);
  }

  @Test
  void rolesAndWorkerDefaults() {
    BallastConfig config = parse("server: {role: worker}\n");
    assertThat(config.server().role()).isEqualTo(NodeRole.WORKER);
    assertThat(config.workers()).isEqualTo(WorkersConfig.DEFAULT);
    assertThat(parse("").server().role()).isEqualTo(NodeRole.BOTH);
  }
}
