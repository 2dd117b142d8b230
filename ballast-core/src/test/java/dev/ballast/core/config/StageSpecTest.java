package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.pipeline.PipelineDefinition;
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

  static BallastConfig parse(String yaml) {
    return ConfigLoader.parse("p.yaml", BASE + yaml, Map.of());
  }

  @Test
  void aKnownConfigurationKeepsItsVersion() {
    PipelineDefinition p = parse(ALL_KINDS).pipeline("every").orElseThrow();
    assertThat(p.version()).isEqualTo("12626feba59f");
  }
}
