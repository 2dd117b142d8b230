package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.journal.IdentityMismatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code groups.NAME.checks} and {@code deployments.NAME.expect}: read, defaulted, refused. */
class OutputChecksConfigTest {
  private static final String TENANTS =
      "tenants: {t: {keys: [\"sha256:" + "0".repeat(64) + "\"]}}\n";

  private static BallastConfig parse(String yaml) {
    return ConfigLoader.parse("checks.yaml", yaml + TENANTS, Map.of());
  }

  @Test
  void readsEveryCheckAndDefaultsToNone() {
    BallastConfig config =
        parse(
            """
            providers: {sim: {type: simulator}}
            deployments: {a: {provider: sim, model: sim}}
            groups:
              chat:
                deployments: [a]
                checks:
                  non_empty: true
                  min_chars: 2
                  max_chars: 4000
                  max_tokens: 900
                  refusal: ["(?i)i can't help", "(?i)as an ai"]
                  must_match: ["\\\\w"]
                  must_not_match: ["BEGIN PRIVATE KEY"]
                  stream: hold
              plain: {deployments: [a]}
            """);
    OutputChecks checks = config.group("chat").orElseThrow().checks();
    assertThat(checks.nonEmpty()).isTrue();
    assertThat(checks.minChars()).isEqualTo(2);
    assertThat(checks.maxChars()).isEqualTo(4000);
    assertThat(checks.minTokens()).isZero();
    assertThat(checks.maxTokens()).isEqualTo(900);
    assertThat(checks.refusal()).hasSize(2);
    assertThat(checks.stream()).isEqualTo(OutputChecks.StreamPolicy.HOLD);
    assertThat(config.group("plain").orElseThrow().checks()).isEqualTo(OutputChecks.NONE);
    assertThat(config.group("plain").orElseThrow().checks().isEmpty()).isTrue();
  }

  @Test
  void namesEveryBadCheckWithItsPath() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    providers: {sim: {type: simulator}}
                    deployments: {a: {provider: sim, model: sim}}
                    groups:
                      chat:
                        deployments: [a]
                        checks:
                          must_match: ["(unclosed"]
                          refusal: ["ok", "[z-a]"]
                          min_chars: 50
                          max_chars: 10
                          max_tokens: 0
                          stream: later
                          language: en
                    """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("groups.chat.checks.must_match[0]: invalid regex")
        .hasMessageContaining("groups.chat.checks.refusal[1]: invalid regex")
        .hasMessageContaining("groups.chat.checks.min_chars: must not exceed max_chars (10)")
        .hasMessageContaining("groups.chat.checks.max_tokens: must be between 1 and")
        .hasMessageContaining("groups.chat.checks.stream: expected record or hold")
        .hasMessageContaining("groups.chat.checks.language: unknown key");
  }

  @Test
  void readsExpectWithOneOrManyFingerprintsAndRecordByDefault() {
    BallastConfig config =
        parse(
            """
            providers: {oai: {type: openai, base_url: "http://127.0.0.1:1/v1"}}
            deployments:
              pinned: {provider: oai, model: gpt-4o, expect: {model: gpt-4o-2024-08-06, fingerprint: fp_1}}
              strict:
                provider: oai
                model: gpt-4o
                expect: {model: gpt-4o-2024-08-06, fingerprint: [fp_1, fp_2], on_mismatch: fail}
              free: {provider: oai, model: gpt-4o}
            groups: {g: {deployments: [pinned, strict, free]}}
            """);
    ExpectedIdentity pinned = config.deployment("pinned").expect();
    assertThat(pinned.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(pinned.fingerprints()).containsExactly("fp_1");
    assertThat(pinned.onMismatch()).isEqualTo(ExpectedIdentity.OnMismatch.RECORD);
    ExpectedIdentity strict = config.deployment("strict").expect();
    assertThat(strict.fingerprints()).containsExactly("fp_1", "fp_2");
    assertThat(strict.onMismatch()).isEqualTo(ExpectedIdentity.OnMismatch.FAIL);
    assertThat(config.deployment("free").expect()).isEqualTo(ExpectedIdentity.NONE);
  }

  @Test
  void namesEveryBadExpectWithItsPath() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    providers:
                      oai: {type: openai, base_url: "http://127.0.0.1:1/v1"}
                      ant: {type: anthropic, base_url: "http://127.0.0.1:1"}
                    deployments:
                      a: {provider: oai, model: m, expect: {on_mismatch: explode}}
                      b: {provider: ant, model: m, expect: {model: claude-x, fingerprint: fp_1}}
                      c: {provider: oai, model: m, expect: {}}
                      d: {provider: oai, model: m, expect: {model: x, pinned: true}}
                    groups: {g: {deployments: [a, b, c, d]}}
                    """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "deployments.a.expect.on_mismatch: expected record or fail, but was \"explode\"")
        .hasMessageContaining(
            "deployments.b.expect.fingerprint: Anthropic answers carry no system_fingerprint")
        .hasMessageContaining("deployments.c.expect: names neither a model nor a fingerprint")
        .hasMessageContaining("deployments.d.expect.pinned: unknown key");
  }

  @Test
  void aMismatchNamesWhatChangedAndAMissingFingerprintIsNone() {
    ExpectedIdentity expect =
        new ExpectedIdentity(
            "gpt-4o-2024-08-06", List.of("fp_1"), ExpectedIdentity.OnMismatch.FAIL);
    assertThat(expect.mismatch("gpt-4o-2024-08-06", "fp_1")).isEmpty();
    assertThat(expect.mismatch("gpt-4o-2024-08-06", null)).isEmpty();
    IdentityMismatch both = expect.mismatch("gpt-4o-2024-11-20", "fp_9").orElseThrow();
    assertThat(both.changed())
        .containsExactly(IdentityMismatch.MODEL, IdentityMismatch.SYSTEM_FINGERPRINT);
    assertThat(both.onMismatch()).isEqualTo("fail");
    assertThat(both.describe()).contains("gpt-4o-2024-11-20").contains("fp_9");
    assertThat(expect.mismatch(null, "fp_1").orElseThrow().changed())
        .containsExactly(IdentityMismatch.MODEL);
    ExpectedIdentity fingerprintsOnly =
        new ExpectedIdentity(null, List.of("fp_1"), ExpectedIdentity.OnMismatch.RECORD);
    assertThat(fingerprintsOnly.mismatch("anything", "fp_1")).isEmpty();
    assertThat(fingerprintsOnly.mismatch("anything", "fp_2").orElseThrow().changed())
        .containsExactly(IdentityMismatch.SYSTEM_FINGERPRINT);
  }
}
