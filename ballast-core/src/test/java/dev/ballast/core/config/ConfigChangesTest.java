package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
  private static final String BASE =
      """
      server: {port: 8081}
      providers:
        sim: {type: simulator}
      deployments:
        a: {provider: sim, model: sim}
      groups:
        default: {deployments: [a]}
      tenants:
        team: {keys: ["%s"], redact: ["\\\\d{4}"]}
      """
          .formatted(ConfigLoader.hashKey("bk-x"));

  private static BallastConfig parse(String yaml) {
    return ConfigLoader.parse("test", yaml, Map.of());
  }

  @Test
  void theSameFileParsedTwiceChangesNothingThoughPatternsCompareByIdentity() {
    assertThat(ConfigChanges.needingRestart(parse(BASE), parse(BASE))).isEmpty();
  }

  @Test
  void tenantsDeploymentsGroupsAndResilienceChangeLive() {
    String next =
        BASE.replace("default: {deployments: [a]}", "default: {deployments: [a, b]}")
                .replace(
                    "a: {provider: sim, model: sim}",
                    "a: {provider: sim, model: sim}\n  b: {provider: sim, model: sim}")
            + "admins: [team]\nresilience: {deadline: 20s}\n";
    assertThat(ConfigChanges.needingRestart(parse(BASE), parse(next))).isEmpty();
  }

  @Test
  void namesEachSettingOnlyARestartTakesOverByItsPath() {
    String next =
        BASE.replace("port: 8081", "port: 8082")
            + "journal: {batch_size: 9}\nresilience: {idempotency_ttl: 1h}\n";
    assertThat(ConfigChanges.needingRestart(parse(BASE), parse(next)))
        .containsExactly("journal.batch_size", "resilience.idempotency_ttl", "server.port");
  }
}
