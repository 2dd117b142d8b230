package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code admins}, collection owners and readers, pipeline tenants and the configuration checks that
 * span them (docs/security.md): every mistake is reported with its path.
 */
class AccessConfigTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String C = "sha256:" + "c".repeat(64);

  private static final String BASE =
      """
      providers: {sim: {type: simulator}}
      deployments: {d1: {provider: sim, model: sim}}
      groups: {fast: {deployments: [d1]}}
      """;

  private static BallastConfig parse(String yaml) {
    return ConfigLoader.parse("access.yaml", BASE + yaml, Map.of());
  }

  private static String tenants() {
    return """
        tenants:
          ops: {keys: ["%s"]}
          acme: {keys: ["%s"]}
          globex: {keys: ["%s"]}
        """
        .formatted(A, B, C);
  }

  @Test
  void ownersReadersAndAdminsDecideWhoReadsAndWritesEachCollection() {
    AccessConfig access =
        parse(
                tenants()
                    + """
                    admins: [ops]
                    collections:
                      kb: {owner: acme}
                      handbook: {readers: [acme]}
                      docs: {}
                      board: {readers: []}
                    """)
            .access();
    assertThat(access.canRead("acme", "kb")).isTrue();
    assertThat(access.canWrite("acme", "kb")).isTrue();
    assertThat(access.canRead("globex", "kb")).isFalse();
    assertThat(access.canWrite("globex", "kb")).isFalse();
    assertThat(access.canRead("acme", "handbook")).isTrue();
    assertThat(access.canWrite("acme", "handbook")).isFalse();
    assertThat(access.canRead("globex", "handbook")).isFalse();
    assertThat(access.canRead("globex", "docs")).isTrue();
    assertThat(access.canWrite("globex", "docs")).isFalse();
    assertThat(access.canRead("acme", "board")).isFalse();
    assertThat(access.canRead("acme", "not-configured")).isFalse();
    for (String c : new String[] {"kb", "handbook", "docs", "board", "not-configured"}) {
      assertThat(access.canRead("ops", c)).isTrue();
      assertThat(access.canWrite("ops", c)).isTrue();
    }
    assertThat(access.isAdmin("ops")).isTrue();
    assertThat(access.isAdmin("acme")).isFalse();
    assertThat(access.keyCacheTtl()).isEqualTo(AccessConfig.DEFAULT_KEY_CACHE_TTL);
  }

  @Test
  void withoutAdminsNoTenantAdministers() {
    BallastConfig config = parse(tenants());
    assertThat(config.access().admins()).isEmpty();
    assertThat(config.access().canWrite("ops", "docs")).isFalse();
  }

  @Test
  void theBuiltInConfigurationAdministersWithItsDevelopmentKey() {
    BallastConfig config = ConfigLoader.defaults(Map.of(), java.nio.file.Path.of("d"), A);
    assertThat(config.access().isAdmin("dev")).isTrue();
    assertThat(config.access().canRead("dev", "docs")).isTrue();
  }

  @Test
  void aPipelineRetrievingFromACollectionOneOfItsTenantsCannotReadIsRefused() {
    String yaml =
        tenants()
            + """
            collections: {kb: {owner: acme}}
            pipelines:
              ask:
                stages:
                  - {name: note, type: transform, output: {q: "{{input.q}}"}}
                  - {name: find, type: retrieve, collection: kb, query: "{{input.q}}"}
            """;
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "pipelines.ask.stages[1].collection: tenants globex, ops may submit pipeline ask but"
                + " cannot read collection \"kb\" (owned by acme)");
    BallastConfig fixed = parse(yaml.replace("  ask:\n", "  ask:\n    tenants: [acme]\n"));
    assertThat(fixed.access().maySubmit("acme", "ask")).isTrue();
    assertThat(fixed.access().maySubmit("globex", "ask")).isFalse();
    BallastConfig adminToo =
        parse(yaml.replace("  ask:\n", "  ask:\n    tenants: [acme, ops]\n") + "admins: [ops]\n");
    assertThat(adminToo.access().maySubmit("ops", "ask")).isTrue();
  }

  @Test
  void aPipelineRetrievingFromACollectionThatIsNotConfiguredIsRefused() {
    assertThatThrownBy(
            () ->
                parse(
                    tenants()
                        + """
                        pipelines:
                          ask:
                            stages:
                              - {name: find, type: retrieve, collection: nowhere, query: "x"}
                        """))
        .hasMessageContaining("pipelines.ask.stages[0].collection: tenants acme, globex, ops")
        .hasMessageContaining("no such collection is configured under collections");
  }

  @Test
  void namesOfUnknownTenantsAreReportedWhereverTheyAppear() {
    assertThatThrownBy(
            () ->
                parse(
                    tenants()
                        + """
                        admins: [root]
                        collections:
                          kb: {owner: nobody}
                          handbook: {readers: [acme, ghost]}
                          both: {owner: acme, readers: [globex]}
                        pipelines:
                          p:
                            tenants: [phantom]
                            stages: [{name: s, type: transform, output: {a: "x"}}]
                        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admins[0]: unknown tenant \"root\" (configured: acme, globex, ops)")
        .hasMessageContaining("collections.kb.owner: unknown tenant \"nobody\"")
        .hasMessageContaining("collections.handbook.readers[1]: unknown tenant \"ghost\"")
        .hasMessageContaining("collections.both.readers: an owned collection is read by its owner")
        .hasMessageContaining("pipelines.p.tenants[0]: unknown tenant \"phantom\"");
  }

  @Test
  void aKeyHashListedTwiceIsRefusedWhereverTheSecondIs() {
    String yaml =
        """
        tenants:
          acme: {keys: ["%s"]}
          globex: {keys: ["%s", "%s"]}
        """
            .formatted(A, B, A);
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "tenants.globex.keys[1]: this key hash is already listed at tenants.acme.keys[0]");
  }

  @Test
  void tenantNamesKeepToTheirCharsetAndNeverTakeTheSystemTenantsName() {
    String yaml =
        """
        tenants:
          "team/a": {keys: ["%s"]}
          "with space": {keys: ["%s"]}
          Ballast: {keys: ["%s"]}
          ok.team-1_x: {keys: ["sha256:%s"]}
        """
            .formatted(A, B, C, "d".repeat(64));
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tenants.team/a: tenant names must match")
        .hasMessageContaining("tenants.with space: tenant names must match")
        .hasMessageContaining("tenants.Ballast: \"ballast\" is reserved")
        .satisfies(
            e ->
                assertThat(((ConfigException) e).errors())
                    .noneMatch(m -> m.startsWith("tenants.ok.team-1_x")));
  }

  @Test
  void theKeyCacheTtlIsBoundedSoThatARevocationTakesEffect() {
    assertThat(parse(tenants() + "managed_keys: {cache_ttl: 1s}").access().keyCacheTtl())
        .isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> parse(tenants() + "managed_keys: {cache_ttl: 1h}"))
        .hasMessageContaining("managed_keys.cache_ttl: must be at most 5m");
    assertThatThrownBy(() -> parse(tenants() + "managed_keys: {ttl: 1s}"))
        .hasMessageContaining("managed_keys.ttl: unknown key");
  }
}
