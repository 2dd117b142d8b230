package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.pipeline.StageDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static final String HASH = "sha256:" + "a".repeat(64);

  private static final String VALID =
      """
      server: {port: 9000}
      providers:
        openai: {type: openai, api_key: "${OPENAI_API_KEY}"}
        sim: {type: simulator, profiles: {brownout: "error=0.5@503"}}
      deployments:
        gpt4o: {provider: openai, model: gpt-4o, price: {input: 2.5, output: 10}, timeouts: {first_token: 2s}}
        local: {provider: sim, model: sim}
      groups:
        default: {deployments: [gpt4o, local]}
      tenants:
        acme: {keys: ["%s"], redact: ["\\\\d{16}"]}
      """
          .formatted(HASH);

  @Test
  void loadsAValidFileWithEnvironmentInterpolation() {
    BallastConfig config =
        ConfigLoader.parse("t.yaml", VALID, Map.of("OPENAI_API_KEY", "sk-secret"));

    assertThat(config.server().port()).isEqualTo(9000);
    assertThat(config.provider("openai").apiKey().value()).isEqualTo("sk-secret");
    assertThat(config.deployment("gpt4o").timeouts().firstToken()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.deployment("gpt4o").price().cachedPerMillion()).isEqualTo(2.5);
    assertThat(config.group("default").orElseThrow().deployments())
        .containsExactly("gpt4o", "local");
    assertThat(config.tenants().get("acme").capture()).isTrue();
    assertThat(config.version()).hasSize(12);
  }

  @Test
  void readsServerLimitsAndNamesTheBadOnes() {
    String base =
        """
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim}}
        groups: {default: {deployments: [sim]}}
        tenants: {t: {keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}
        """;
    BallastConfig config =
        ConfigLoader.parse(
            "a.yaml",
            "server: {limits: {request_head: 2s, idle: 90s, connections_per_client: 0}}\n" + base,
            Map.of());
    assertThat(config.server().limits())
        .isEqualTo(
            new ServerLimits(
                Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(90), 0));
    assertThat(ConfigLoader.parse("b.yaml", base, Map.of()).server().limits())
        .isEqualTo(ServerLimits.DEFAULT);
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "c.yaml",
                    "server: {limits: {idle: soon, connections_per_client: -1, slow: 1s}}\n" + base,
                    Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .anySatisfy(
                        m -> assertThat(m).startsWith("server.limits.idle: expected a duration"))
                    .anySatisfy(
                        m ->
                            assertThat(m)
                                .startsWith("server.limits.connections_per_client: must be"))
                    .anySatisfy(m -> assertThat(m).startsWith("server.limits.slow: unknown key")));
  }

  @Test
  void readsTenantLimitsWithTheirDefaultsAndNamesTheBadOnes() {
    String base =
        """
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim}}
        groups: {default: {deployments: [sim]}}
        tenants:
          t:
            keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000000"]
        """;
    TenantLimits defaults =
        ConfigLoader.parse("a.yaml", base, Map.of()).tenants().get("t").limits();
    TenantLimits set =
        ConfigLoader.parse(
                "b.yaml",
                base
                    + "    limits: {budget_usd: 5, reserve_output_tokens: 256, max_queued_runs: 0,"
                    + " pipeline_priority: {min: -10, max: 10}}\n",
                Map.of())
            .tenants()
            .get("t")
            .limits();

    assertThat(defaults).isEqualTo(TenantLimits.of(0, 0, 0));
    assertThat(defaults.clampPipelinePriority(1000)).isZero();
    assertThat(defaults.clampPipelinePriority(-1000)).isEqualTo(-100);
    assertThat(set).isEqualTo(new TenantLimits(0, 0, 5, 256, 0, -10, 10));
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "c.yaml",
                    base
                        + "    limits: {max_queued_runs: -1, reserve_output_tokens: 0, burst: 3,"
                        + " pipeline_priority: {min: 5, max: -5}}\n",
                    Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .anySatisfy(
                        m -> assertThat(m).startsWith("tenants.t.limits.max_queued_runs: must be"))
                    .anySatisfy(
                        m ->
                            assertThat(m)
                                .startsWith("tenants.t.limits.reserve_output_tokens: must be"))
                    .anySatisfy(
                        m -> assertThat(m).startsWith("tenants.t.limits.burst: unknown key"))
                    .anySatisfy(
                        m ->
                            assertThat(m)
                                .isEqualTo(
                                    "tenants.t.limits.pipeline_priority: min must not exceed max,"
                                        + " but was min 5 > max -5")));
  }

  @Test
  void readsTheDrainTimeoutAndNamesABadOne() {
    String base =
        """
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim}}
        groups: {default: {deployments: [sim]}}
        tenants: {t: {keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}
        """;
    assertThat(ConfigLoader.parse("a.yaml", base, Map.of()).server().drainTimeout())
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(
            ConfigLoader.parse("b.yaml", "server: {drain_timeout: 45s}\n" + base, Map.of())
                .server()
                .drainTimeout())
        .isEqualTo(Duration.ofSeconds(45));
    for (String bad : List.of("soon", "11m", "0s")) {
      assertThatThrownBy(
              () ->
                  ConfigLoader.parse(
                      "c.yaml", "server: {drain_timeout: " + bad + "}\n" + base, Map.of()))
          .as(bad)
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.errors())
                      .anySatisfy(m -> assertThat(m).startsWith("server.drain_timeout: ")));
    }
  }

  @Test
  void readsTheJournalQueueBytesAndNamesATooSmallBound() {
    String base =
        """
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim}}
        groups: {default: {deployments: [sim]}}
        tenants: {t: {keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}
        """;
    assertThat(ConfigLoader.parse("a.yaml", base, Map.of()).journal().queueBytes()).isZero();
    assertThat(
            ConfigLoader.parse("b.yaml", "journal: {queue_bytes: 16777216}\n" + base, Map.of())
                .journal()
                .queueBytes())
        .isEqualTo(16L << 20);
    assertThatThrownBy(
            () -> ConfigLoader.parse("c.yaml", "journal: {queue_bytes: 1000}\n" + base, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .contains(
                        "journal.queue_bytes: must be 0 (the default) or at least 65536, but was"
                            + " 1000"));
  }

  @Test
  void reportsEveryErrorAtOnceWithItsPath() {
    String yaml =
        """
        server: {port: 99999, colour: blue}
        providers:
          openai: {type: openia}
        deployments:
          gpt4o: {provider: missing, model: gpt-4o, timeouts: {total: forever}}
        groups:
          default: {deployments: [gpt4o, gpt4o-azure]}
        tenants:
          acme: {keys: ["sk-plain-key"]}
        """;

    assertThatThrownBy(() -> ConfigLoader.parse("b.yaml", yaml, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .contains(
                        "server.port: must be between 0 and 65535, but was 99999",
                        "groups.default.deployments[1]: unknown deployment \"gpt4o-azure\" (known: gpt4o)")
                    .anySatisfy(m -> assertThat(m).startsWith("server.colour: unknown key"))
                    .anySatisfy(
                        m ->
                            assertThat(m)
                                .startsWith(
                                    "providers.openai.type: unknown provider type \"openia\""))
                    .anySatisfy(
                        m ->
                            assertThat(m)
                                .startsWith(
                                    "deployments.gpt4o.provider: unknown provider \"missing\""))
                    .anySatisfy(
                        m ->
                            assertThat(m)
                                .startsWith(
                                    "deployments.gpt4o.timeouts.total: expected a duration"))
                    .anySatisfy(
                        m ->
                            assertThat(m).startsWith("tenants.acme.keys[0]: expected a key hash")));
  }

  @Test
  void neverEchoesSecrets() {
    String yaml = VALID.replace(HASH, "sk-plain-key-that-is-secret");

    assertThatThrownBy(
            () -> ConfigLoader.parse("s.yaml", yaml, Map.of("OPENAI_API_KEY", "sk-secret")))
        .hasMessageNotContaining("sk-plain-key-that-is-secret")
        .hasMessageNotContaining("sk-secret");
    BallastConfig ok = ConfigLoader.parse("t.yaml", VALID, Map.of("OPENAI_API_KEY", "sk-secret"));
    assertThat(ok.toString()).doesNotContain("sk-secret");
  }

  @Test
  void missingEnvironmentVariableIsAnErrorNamingIt() {
    assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", VALID, Map.of()))
        .hasMessageContaining(
            "providers.openai.api_key: environment variable OPENAI_API_KEY is not set");
  }

  @Test
  void defaultsWorkOfflineWithTheSimulatorAndAddRealProvidersFromTheEnvironment() {
    BallastConfig offline = ConfigLoader.defaults(Map.of(), Path.of("d"), HASH);
    assertThat(offline.groups()).containsOnlyKeys("default", "local-embeddings");
    assertThat(offline.provider("local").type()).isEqualTo(ProviderType.LOCAL);
    assertThat(offline.provider("simulator").type()).isEqualTo(ProviderType.SIMULATOR);
    assertThat(offline.server().host()).isEqualTo("127.0.0.1");
    assertThat(offline.server().dataDir()).isEqualTo(Path.of("d"));
    // The ready-made rag-answer pipeline over the sample corpus, embedded by the local model.
    assertThat(offline.pipelines()).containsKey("rag-answer");
    assertThat(offline.pipelines().get("rag-answer").stages())
        .extracting(StageDefinition::type)
        .containsExactly(
            "embed", "retrieve", "assemble_context", "generate", "validate", "memory_update");
    assertThat(offline.collection("docs").orElseThrow().seed())
        .isEqualTo(CollectionConfig.SAMPLE_DOCS);
    assertThat(offline.collection("docs").orElseThrow().local()).isTrue();

    BallastConfig online =
        ConfigLoader.defaults(
            Map.of("OPENAI_API_KEY", "k1", "ANTHROPIC_API_KEY", "k2"), Path.of("d"), HASH);
    assertThat(online.groups()).containsKeys("default", "gpt-4o-mini", "claude-haiku-4-5");
  }

  @Test
  void invalidYamlIsReportedWithALine() {
    assertThatThrownBy(() -> ConfigLoader.parse("x.yaml", "server: [1,\n  port: 3", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void readsResiliencePoliciesAndRejectsOutOfRangeValues() {
    String tuned =
        VALID
            + "resilience: {deadline: 20s, retry_budget: {ratio: 0.1}, breaker: {open_wait: 30s}}\n";
    BallastConfig config = ConfigLoader.parse("r.yaml", tuned, Map.of("OPENAI_API_KEY", "k"));
    assertThat(config.resilience().deadline()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.resilience().retryBudgetRatio()).isEqualTo(0.1);
    assertThat(config.resilience().breakerOpenWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.resilience().backoffCap()).isEqualTo(ResilienceConfig.DEFAULT.backoffCap());

    String bad = VALID + "resilience: {retry_budget: {ratio: 1.5}, breaker: {failure_rate: 120}}\n";
    assertThatThrownBy(() -> ConfigLoader.parse("r.yaml", bad, Map.of("OPENAI_API_KEY", "k")))
        .hasMessageContaining("resilience.retry_budget.ratio: must be between 0 and 1, but was 1.5")
        .hasMessageContaining(
            "resilience.breaker.failure_rate: must be between 1 and 100, but was 120");
  }

  @Test
  void readsTheMinimumAttemptTimeAndRejectsOneLongerThanAMinute() {
    assertThat(
            ConfigLoader.parse("r.yaml", VALID, Map.of("OPENAI_API_KEY", "k"))
                .resilience()
                .minAttemptTime())
        .isEqualTo(Duration.ofMillis(50));
    String tuned = VALID + "resilience: {min_attempt_time: 250ms}\n";
    assertThat(
            ConfigLoader.parse("r.yaml", tuned, Map.of("OPENAI_API_KEY", "k"))
                .resilience()
                .minAttemptTime())
        .isEqualTo(Duration.ofMillis(250));

    String bad = VALID + "resilience: {min_attempt_time: 5m}\n";
    assertThatThrownBy(() -> ConfigLoader.parse("r.yaml", bad, Map.of("OPENAI_API_KEY", "k")))
        .hasMessageContaining("resilience.min_attempt_time: must be at most 60s, but was 300s");
  }

  @Test
  void readsAdaptiveFirstTokenSettingsAndRejectsBadOnes() {
    assertThat(
            ConfigLoader.parse("r.yaml", VALID, Map.of("OPENAI_API_KEY", "k"))
                .resilience()
                .adaptiveFirstToken())
        .isEqualTo(AdaptiveFirstTokenConfig.DEFAULT);
    String tuned =
        VALID + "resilience: {adaptive_first_token: {enabled: false, floor: 500ms, factor: 2}}\n";
    AdaptiveFirstTokenConfig read =
        ConfigLoader.parse("r.yaml", tuned, Map.of("OPENAI_API_KEY", "k"))
            .resilience()
            .adaptiveFirstToken();
    assertThat(read.enabled()).isFalse();
    assertThat(read.floor()).isEqualTo(Duration.ofMillis(500));
    assertThat(read.factor()).isEqualTo(2.0);

    String bad =
        VALID
            + "resilience: {adaptive_first_token: {quantile: 1.5, factor: 0.5, min_samples: 0}}\n";
    assertThatThrownBy(() -> ConfigLoader.parse("r.yaml", bad, Map.of("OPENAI_API_KEY", "k")))
        .hasMessageContaining(
            "resilience.adaptive_first_token.quantile: must be greater than 0 and at most 1")
        .hasMessageContaining("resilience.adaptive_first_token.factor: must be between 1 and 100")
        .hasMessageContaining("resilience.adaptive_first_token.min_samples");
  }

  @Test
  void readsTheLongestRetryAfterWorthWaitingForAndRejectsAnAbsurdOne() {
    assertThat(
            ConfigLoader.parse("r.yaml", VALID, Map.of("OPENAI_API_KEY", "k"))
                .resilience()
                .maxRetryAfterWait())
        .isEqualTo(Duration.ofSeconds(2));
    String tuned = VALID + "resilience: {max_retry_after_wait: 500ms}\n";
    assertThat(
            ConfigLoader.parse("r.yaml", tuned, Map.of("OPENAI_API_KEY", "k"))
                .resilience()
                .maxRetryAfterWait())
        .isEqualTo(Duration.ofMillis(500));

    String bad = VALID + "resilience: {max_retry_after_wait: 1h}\n";
    assertThatThrownBy(() -> ConfigLoader.parse("r.yaml", bad, Map.of("OPENAI_API_KEY", "k")))
        .hasMessageContaining(
            "resilience.max_retry_after_wait: must be at most 600s, but was 3600s");
  }

  @Test
  void readsACollectionsIndexSettingsAndDefaultsTheRest() {
    String tuned =
        VALID
            + "collections:\n"
            + "  docs: {index: {vectors: binary, oversample: 8, history: 2h}}\n"
            + "  plain: {}\n";
    BallastConfig config = ConfigLoader.parse("c.yaml", tuned, Map.of("OPENAI_API_KEY", "k"));
    CollectionIndexConfig docs = config.collection("docs").orElseThrow().index();
    assertThat(docs.vectors()).isEqualTo(VectorEncoding.BINARY);
    assertThat(docs.oversample()).isEqualTo(8);
    assertThat(docs.history()).isEqualTo(Duration.ofHours(2));
    assertThat(config.collection("plain").orElseThrow().index())
        .isEqualTo(CollectionIndexConfig.DEFAULTS);
  }

  @Test
  void refusesAnUnknownVectorEncodingAndAnOutOfRangeOversampleWithTheirPaths() {
    String bad =
        VALID + "collections:\n" + "  docs: {index: {vectors: int3, oversample: 0, colour: red}}\n";
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", bad, Map.of("OPENAI_API_KEY", "k")))
        .hasMessageContaining(
            "collections.docs.index.vectors: expected one of float32, int8, int4, binary, but was"
                + " \"int3\"")
        .hasMessageContaining(
            "collections.docs.index.oversample: must be between 1 and 100, but was 0")
        .hasMessageContaining("collections.docs.index.colour: unknown key");
  }

  @Test
  void fallbackAndLargerContextGroupsMustExist() {
    String yaml =
        VALID.replace(
            "default: {deployments: [gpt4o, local]}",
            "default: {deployments: [gpt4o], fallbacks: [spare, default], larger_context: huge}\n"
                + "  spare: {deployments: [local]}");

    assertThatThrownBy(() -> ConfigLoader.parse("g.yaml", yaml, Map.of("OPENAI_API_KEY", "k")))
        .hasMessageContaining("groups.default.fallbacks[1]: a group cannot fall back to itself")
        .hasMessageContaining("groups.default.larger_context: unknown group \"huge\"")
        .hasMessageNotContaining("fallbacks[0]");
  }

  @Test
  void continuationAndLoadSpreadingDefaultAndAreRead() {
    BallastConfig defaults = ConfigLoader.parse("d.yaml", VALID, Map.of("OPENAI_API_KEY", "k"));
    assertThat(defaults.deployments().get("gpt4o").continuation())
        .isEqualTo(ContinuationMode.INSTRUCTION);
    assertThat(defaults.deployments().get("local").continuation())
        .isEqualTo(ContinuationMode.PREFILL);
    GroupConfig group = defaults.group("default").orElseThrow();
    assertThat(group.continueStreams()).isTrue();
    assertThat(group.strategy()).isEqualTo(LoadStrategy.ORDERED);

    String yaml =
        VALID
            .replace("timeouts: {first_token: 2s}}", "continuation: prefill}")
            .replace(
                "default: {deployments: [gpt4o, local]}",
                "default: {deployments: [gpt4o, local], continue_streams: false,"
                    + " strategy: weighted, weights: {gpt4o: 3}}");
    BallastConfig config = ConfigLoader.parse("c.yaml", yaml, Map.of("OPENAI_API_KEY", "k"));
    assertThat(config.deployments().get("gpt4o").continuation())
        .isEqualTo(ContinuationMode.PREFILL);
    GroupConfig g = config.group("default").orElseThrow();
    assertThat(g.continueStreams()).isFalse();
    assertThat(g.strategy()).isEqualTo(LoadStrategy.WEIGHTED);
    assertThat(g.weight("gpt4o")).isEqualTo(3);
    assertThat(g.weight("local")).isEqualTo(1);
  }

  @Test
  void badContinuationAndLoadSpreadingSettingsNameTheirPaths() {
    String yaml =
        VALID
            .replace("timeouts: {first_token: 2s}}", "continuation: telepathy}")
            .replace(
                "default: {deployments: [gpt4o, local]}",
                "default: {deployments: [gpt4o, local], continue_streams: maybe,"
                    + " strategy: random, weights: {gpt4o: -1, nope: 2}}");

    assertThatThrownBy(() -> ConfigLoader.parse("b.yaml", yaml, Map.of("OPENAI_API_KEY", "k")))
        .hasMessageContaining(
            "deployments.gpt4o.continuation: expected prefill, instruction or none, but was"
                + " \"telepathy\"")
        .hasMessageContaining("groups.default.continue_streams: expected true or false")
        .hasMessageContaining(
            "groups.default.strategy: expected ordered, weighted, least_busy or latency, but was"
                + " \"random\"")
        .hasMessageContaining("groups.default.weights.gpt4o")
        .hasMessageContaining("groups.default.weights.nope: \"nope\" is not one of the group's");
  }

  @Test
  void keyHashIsTheSha256OfTheKey() {
    assertThat(ConfigLoader.hashKey("abc"))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
