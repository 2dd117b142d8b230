package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code canaries}: read with their defaults, refused with their paths. */
class CanaryConfigTest {
  private static final String BASE =
      """
      providers: {sim: {type: simulator}}
      deployments: {a: {provider: sim, model: sim}}
      groups: {chat: {deployments: [a]}}
      tenants: {t: {keys: ["sha256:%s"]}}
      """
          .formatted("0".repeat(64));

  @Test
  void readsACanaryWithEveryCheck() {
    BallastConfig config =
        ConfigLoader.parse(
            "c.yaml",
            BASE
                + """
                canaries:
                  capital:
                    group: chat
                    every: 30s
                    system: Answer in one sentence.
                    input: What is the capital of France?
                    checks:
                      contains: [Paris]
                      not_contains: [sorry]
                      regex: ["(?i)capital"]
                      max_tokens: 60
                      json_schema: {type: object}
                      similar_to: {reference: "Paris is the capital of France.", threshold: 0.7}
                  minimal: {group: chat, input: hi}
                """,
            Map.of());
    CanaryConfig capital = config.canaries().get("capital");
    assertThat(capital.every()).isEqualTo(Duration.ofSeconds(30));
    assertThat(capital.checks().contains()).containsExactly("Paris");
    assertThat(capital.checks().maxTokens()).isEqualTo(60);
    assertThat(capital.checks().jsonSchema().path("type").asText()).isEqualTo("object");
    assertThat(capital.checks().similarTo().threshold()).isEqualTo(0.7);
    CanaryConfig minimal = config.canaries().get("minimal");
    assertThat(minimal.every()).isEqualTo(CanaryConfig.DEFAULT_EVERY);
    assertThat(minimal.checks().similarTo()).isNull();
  }

  @Test
  void namesEveryBadCanaryWithItsPath() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "c.yaml",
                    BASE
                        + """
                        canaries:
                          a: {group: nope, input: hi, every: 500ms}
                          b: {group: chat, checks: {regex: ["("], json_schema: {type: 12}}}
                          c: {group: chat, input: hi, checks: {similar_to: {threshold: 2}}}
                        """,
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("canaries.a.group: unknown model group \"nope\"")
        .hasMessageContaining("canaries.a.every: must be at least 1s")
        .hasMessageContaining("canaries.b.input: is required")
        .hasMessageContaining("canaries.b.checks.regex[0]: invalid regex")
        .hasMessageContaining("canaries.b.checks.json_schema")
        .hasMessageContaining("canaries.c.checks.similar_to.reference: is required")
        .hasMessageContaining("canaries.c.checks.similar_to.threshold: must be between 0 and 1");
  }

  @Test
  void aPipelineCanaryTakesTheRunsInputAndNamesOneTarget() {
    String pipelines =
        """
        prompts: {ask: "{{input.q}}"}
        pipelines: {ask: {stages: [{name: a, type: generate, group: chat, prompt: ask}]}}
        """;
    BallastConfig config =
        ConfigLoader.parse(
            "c.yaml",
            BASE
                + pipelines
                + """
                canaries:
                  rag: {pipeline: ask, input: {q: "What is the capital?"}, checks: {contains: [Paris]}}
                """,
            Map.of());
    CanaryConfig rag = config.canaries().get("rag");
    assertThat(rag.pipeline()).isEqualTo("ask");
    assertThat(rag.group()).isNull();
    assertThat(rag.input()).isEqualTo("{\"q\":\"What is the capital?\"}");

    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "c.yaml",
                    BASE
                        + pipelines
                        + """
                        canaries:
                          both: {group: chat, pipeline: ask, input: hi}
                          neither: {input: hi}
                          ghost: {pipeline: nope, input: {q: x}}
                          bare: {pipeline: ask, system: be brief}
                        """,
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("canaries.both: names both a group and a pipeline")
        .hasMessageContaining("canaries.neither: needs a group")
        .hasMessageContaining("canaries.ghost.pipeline: unknown pipeline \"nope\"")
        .hasMessageContaining("canaries.bare.system: only a group canary has a system message")
        .hasMessageContaining("canaries.bare.input: is required");
  }

  @Test
  void theCanaryTenantNameIsReserved() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "c.yaml",
                    BASE.replace(
                        "tenants: {",
                        "tenants: {ballast: {keys: [\"sha256:" + "1".repeat(64) + "\"]}, "),
                    Map.of()))
        .hasMessageContaining("tenants.ballast: \"ballast\" is reserved");
  }
}
