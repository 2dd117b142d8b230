package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchSettingsTest {
  private static final String BASE =
      """
      providers:
        sim: {type: simulator}
      deployments:
        sim: {provider: sim, model: sim}
      groups:
        default: {deployments: [sim]}
      tenants:
        acme: {keys: ["sha256:%s"]}
      """
          .formatted("a".repeat(64));

  private static WatchSettings parse(String watch) {
    return ConfigLoader.parse("t.yaml", BASE + watch, Map.of()).watch();
  }

  private static String errors(String watch) {
    try {
      parse(watch);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("the configuration was accepted");
  }

  @Test
  void withoutTheSectionWatchRunsWithItsDefaults() {
    WatchSettings watch = parse("");
    assertThat(watch).isEqualTo(WatchSettings.DEFAULT);
    assertThat(watch.enabled()).isTrue();
    assertThat(watch.detector("deployment:x", "latency"))
        .isEqualTo(WatchSettings.Detector.CONTINUOUS);
    assertThat(watch.detector("deployment:x", "refusal_rate").threshold()).isEqualTo(18);
    assertThat(watch.refusalPatterns()).isNotEmpty();
  }

  @Test
  void readsEverySettingAndPerSeriesOverrides() {
    WatchSettings watch =
        parse(
            """
            watch:
              max_series: 50
              retention: 48h
              baseline: {window: 30m, settle: 1m, tick: 1s}
              latency: {threshold: 30, drift: 0.75, min_samples: 100, recovery: 50}
              rates: {threshold: 12, ratio: 4, min_increase: 0.05, floor: 0.01, min_samples: 200}
              identity: {min_samples: 3, accept_after: 1h, max_values: 4}
              refusal_patterns: ["(?i)cannot comply"]
              overrides:
                "deployment:gpt4o": {latency: {threshold: 40}, refusal_rate: {enabled: false}}
            """);
    assertThat(watch.maxSeries()).isEqualTo(50);
    assertThat(watch.retention()).isEqualTo(Duration.ofHours(48));
    assertThat(watch.baseline().window()).isEqualTo(Duration.ofMinutes(30));
    assertThat(watch.detector("deployment:other", "latency").threshold()).isEqualTo(30);
    assertThat(watch.detector("deployment:other", "latency").drift()).isEqualTo(0.75);
    assertThat(watch.detector("deployment:gpt4o", "latency").threshold()).isEqualTo(40);
    assertThat(watch.detector("deployment:gpt4o", "refusal_rate").enabled()).isFalse();
    assertThat(watch.detector("deployment:other", "refusal_rate").threshold()).isEqualTo(12);
    assertThat(watch.rates().ratio()).isEqualTo(4);
    assertThat(watch.identity().acceptAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(watch.refusalPatterns())
        .singleElement()
        .satisfies(p -> assertThat(p.pattern()).isEqualTo("(?i)cannot comply"));
  }

  @Test
  void reportsEveryBadValueWithItsPath() {
    String message =
        errors(
            """
            watch:
              latency: {threshold: 0.5, drift: 11, min_samples: 2}
              rates: {ratio: 1}
              baseline: {window: 1m, tick: 5m}
              identity: {accept_after: soon}
              refusal_patterns: ["(unclosed"]
              overrides:
                "gpt4o": {latency: {threshold: 10}}
                "deployment:x": {tokens: {threshold: 10}}
              colour: blue
            """);
    assertThat(message)
        .contains("watch.latency.threshold: must be between 1 and 1000, but was 0.5")
        .contains("watch.latency.drift")
        .contains("watch.latency.min_samples")
        .contains("watch.rates.ratio")
        .contains("watch.baseline.window")
        .contains("watch.baseline.tick")
        .contains("watch.identity.accept_after")
        .contains("watch.refusal_patterns[0]: not a valid regular expression")
        .contains("watch.overrides.gpt4o")
        .contains("watch.overrides.deployment:x.tokens: unknown signal")
        .contains("watch.colour: unknown key");
  }

  @Test
  void notifyAddsTheBuiltInDeliveryPipelineAndReservesItsName() {
    BallastConfig config =
        ConfigLoader.parse(
            "t.yaml",
            BASE
                + """
                watch:
                  notify: {webhook: "https://hooks.example.com/T0/B0", headers: {X-Token: "${TOKEN}"}}
                """,
            Map.of("TOKEN", "s3cret"));
    assertThat(config.watch().notifications().enabled()).isTrue();
    assertThat(config.pipelines()).containsKey(WatchSettings.NOTIFY_PIPELINE);
    assertThat(config.pipelines().get(WatchSettings.NOTIFY_PIPELINE).stages())
        .singleElement()
        .satisfies(stage -> assertThat(stage.type()).isEqualTo("http_action"));

    String taken =
        errors(
            """
            watch: {notify: {webhook: "http://127.0.0.1:9/x"}}
            pipelines:
              ballast-watch-notify: {stages: [{name: a, type: transform, output: {x: 1}}]}
            """);
    assertThat(taken).contains("pipelines.ballast-watch-notify: the name is reserved");
    assertThat(errors("watch: {notify: {webhook: \"ftp://x/y\"}}\n"))
        .contains("watch.notify.webhook: expected an http:// or https:// URL");
  }

  @Test
  void canBeSwitchedOff() {
    assertThat(parse("watch: {enabled: false}\n").enabled()).isFalse();
  }
}
