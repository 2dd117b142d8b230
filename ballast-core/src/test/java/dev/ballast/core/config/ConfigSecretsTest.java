package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A configuration error never prints a value substituted from the environment: it may be a secret
 * in the wrong place (docs/security.md). The value read is shown as written, {@code ${NAME}}.
 */
class ConfigSecretsTest {
  private static final String SECRET = "sk-live-5ecret-value-42";

  private static ConfigException error(String yaml, Map<String, String> env) {
    try {
      ConfigLoader.parse("secrets.yaml", yaml, env);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("the configuration was accepted");
  }

  private static final String VALID_REST =
      """
      providers: {sim: {type: simulator}}
      deployments: {d1: {provider: sim, model: sim}}
      groups: {fast: {deployments: [d1]}}
      tenants: {t: {keys: ["sha256:%s"]}}
      """
          .formatted("a".repeat(64));

  @Test
  void aSubstitutedValueInTheWrongPlaceIsShownByItsName() {
    ConfigException e =
        error(
            VALID_REST + "server: {port: \"${PORT}\", role: \"${ROLE}\"}\n",
            Map.of("PORT", SECRET, "ROLE", SECRET + "-role"));
    assertThat(e.getMessage())
        .doesNotContain(SECRET)
        .contains("server.port: expected an integer, but was \"${PORT}\"")
        .contains("server.role: expected gateway, worker or both, but was \"${ROLE}\"");
  }

  @Test
  void aSubstitutedPartOfAValueIsHiddenToo() {
    ConfigException e =
        error(
            VALID_REST.replace(
                "providers: {sim: {type: simulator}}",
                "providers:\n  sim: {type: simulator}\n"
                    + "  up: {type: openai, base_url: \"ftp://x/${TOKEN}/v1\"}"),
            Map.of("TOKEN", SECRET));
    assertThat(e.getMessage())
        .doesNotContain(SECRET)
        .contains("providers.up.base_url")
        .contains("${TOKEN}");
  }

  @Test
  void aValueEchoedUnderAnotherPathIsHiddenAsWell() {
    ConfigException e =
        error(
            VALID_REST.replace("deployments: [d1]", "deployments: [\"${DEPLOYMENT}\"]"),
            Map.of("DEPLOYMENT", SECRET));
    assertThat(e.getMessage())
        .doesNotContain(SECRET)
        .contains("unknown deployment \"${DEPLOYMENT}\"");
  }

  @Test
  void shortValuesAreHiddenWithoutManglingOtherNumbers() {
    ConfigException e =
        error(VALID_REST + "server: {port: \"${PORT}\"}\n", Map.of("PORT", "65536"));
    assertThat(e.getMessage())
        .contains("server.port: must be between 0 and 65535, but was ${PORT}")
        .doesNotContain("65536");
  }

  @Test
  void aValidConfigurationStillReadsTheSubstitutedValues() {
    BallastConfig config =
        ConfigLoader.parse(
            "secrets.yaml", VALID_REST + "server: {port: \"${PORT}\"}\n", Map.of("PORT", "9090"));
    assertThat(config.server().port()).isEqualTo(9090);
    assertThatThrownBy(() -> error(VALID_REST, Map.of())).isInstanceOf(AssertionError.class);
  }
}
