package dev.ballast.telemetry;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.Usage;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Journals of runs as the gateway and the pipeline engine write them, at fixed times. */
final class Journals {
  static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
  static final String GATEWAY_RUN = "run_019a3f000000aa11bb22cc";
  static final String PIPELINE_RUN = "prun_019a3f000000dd33ee44ff";
  static final String MODEL_CALL = PIPELINE_RUN + "/summarize/1@1";

  static final ProviderCatalog PROVIDERS =
      ProviderCatalog.of(
          Map.of(
              "openai-main",
              new ProviderCatalog.Endpoint("openai", URI.create("https://api.openai.com/v1")),
              "anthropic-eu",
              new ProviderCatalog.Endpoint(
                  "anthropic", URI.create("https://eu.anthropic.example:8443"))));

  private Journals() {}

  static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  /**
   * A chat call to group {@code default}: the primary deployment answers 503 and the chain fails
   * over to the backup, which answers; the primary's breaker opens on the way.
   */
  static List<JournalEntry> gatewayRunWithFailover() {
    return List.of(
        new JournalEntry(
            GATEWAY_RUN,
            0,
            at(0),
            new JournalEvent.RunStarted(
                "gateway",
                "chat",
                "openai",
                "acme",
                "default",
                false,
                new Pins("cfg-7f3a", "default", List.of("primary", "backup")),
                Payload.of(
                    "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))),
        new JournalEntry(
            GATEWAY_RUN,
            1,
            at(130),
            new JournalEvent.ProviderAttempt(
                1,
                "primary",
                "openai-main",
                "gpt-4o-mini",
                "server_error",
                503,
                "upstream answered 503",
                120,
                null,
                null,
                0,
                null,
                null,
                "closed",
                "failover",
                List.of(),
                null,
                null)),
        new JournalEntry(
            GATEWAY_RUN,
            2,
            at(131),
            new JournalEvent.BreakerTransition("primary", "closed", "open")),
        new JournalEntry(
            GATEWAY_RUN,
            3,
            at(400),
            new JournalEvent.ProviderAttempt(
                2,
                "backup",
                "anthropic-eu",
                "claude-haiku-4-5",
                "ok",
                200,
                null,
                250,
                null,
                new Usage(12, 7, 0, 0, false),
                0.00042,
                "claude-haiku-4-5-20251001",
                null,
                "closed",
                "answered",
                List.of("fenced_json"),
                null,
                Payload.of("{\"text\":\"hello\"}"))),
        new JournalEntry(
            GATEWAY_RUN,
            4,
            at(401),
            new JournalEvent.RunCompleted(
                "backup",
                "claude-haiku-4-5-20251001",
                "stop",
                new Usage(12, 7, 0, 0, false),
                0.00042,
                401.5,
                Payload.of("{\"text\":\"hello\"}"))));
  }

  /**
   * A run of pipeline {@code digest}: {@code summarize} (a generate stage) completes in lease 1;
   * {@code notify} (a webhook) fails with 503 in lease 1 and completes in lease 2, sending the same
   * effect key again.
   */
  static List<JournalEntry> pipelineRun() {
    List<JournalEntry> entries = new ArrayList<>();
    entries.add(
        new JournalEntry(
            PIPELINE_RUN,
            0,
            at(0),
            new JournalEvent.RunStarted(
                "pipeline",
                "digest",
                "ballast",
                "acme",
                null,
                false,
                Pins.pipeline("cfg-7f3a", "9c1e0d2a4b6f"),
                Payload.of("{\"text\":\"a long document\"}"))));
    entries.add(
        stage(1000, 10, new JournalEvent.StageStarted("summarize", 0, 1, "node-a/1", 1, 8)));
    entries.add(
        stage(
            1001,
            600,
            new JournalEvent.StageCompleted(
                "summarize", 0, 1, 590, Payload.of("{\"text\":\"short\"}"))));
    entries.add(stage(1002, 601, new JournalEvent.StageStarted("notify", 1, 1, "node-a/1", 1, 0)));
    entries.add(
        stage(
            1003,
            602,
            new JournalEvent.EffectRecorded(
                "notify",
                PIPELINE_RUN + "/notify/webhook",
                "https://hooks.example.com/digest",
                true)));
    entries.add(
        stage(
            1004,
            700,
            new JournalEvent.StageFailed(
                "notify",
                1,
                1,
                "http_503",
                "the webhook answered 503",
                "waiting",
                at(1700),
                "http:hooks.example.com:443",
                99)));
    entries.add(
        stage(2000, 1800, new JournalEvent.StageStarted("notify", 1, 2, "node-b/3", 2, 100)));
    entries.add(
        stage(
            2001,
            1801,
            new JournalEvent.EffectRecorded(
                "notify",
                PIPELINE_RUN + "/notify/webhook",
                "https://hooks.example.com/digest",
                false)));
    entries.add(stage(2002, 1900, new JournalEvent.StageCompleted("notify", 1, 2, 99, null)));
    entries.add(
        stage(
            2003, 1901, new JournalEvent.RunCompleted(null, null, null, Usage.ZERO, 0, 101, null)));
    return entries;
  }

  /** The gateway run the {@code summarize} stage's first attempt made. */
  static List<JournalEntry> modelCall() {
    return List.of(
        new JournalEntry(
            MODEL_CALL,
            0,
            at(20),
            new JournalEvent.RunStarted(
                "gateway",
                "chat",
                "pipeline",
                "acme",
                "default",
                false,
                new Pins("cfg-7f3a", "default", List.of("primary")),
                null)),
        new JournalEntry(
            MODEL_CALL,
            1,
            at(590),
            new JournalEvent.ProviderAttempt(
                1,
                "primary",
                "openai-main",
                "gpt-4o-mini",
                "ok",
                200,
                null,
                560,
                null,
                new Usage(300, 20, 256, 0, false),
                0.0001,
                "gpt-4o-mini-2024-07-18",
                "fp_abc",
                "closed",
                "answered",
                List.of(),
                null,
                null)),
        new JournalEntry(
            MODEL_CALL,
            2,
            at(591),
            new JournalEvent.RunCompleted(
                "primary",
                "gpt-4o-mini-2024-07-18",
                "stop",
                new Usage(300, 20, 256, 0, false),
                0.0001,
                571,
                null)));
  }

  /** The pipeline run and its model call, in the order the journal writer stores them. */
  static List<JournalEntry> pipelineWithModelCallInStoreOrder() {
    List<JournalEntry> pipeline = pipelineRun();
    List<JournalEntry> call = modelCall();
    List<JournalEntry> all = new ArrayList<>();
    all.addAll(pipeline.subList(0, 2)); // RunStarted, StageStarted(summarize)
    all.addAll(call);
    all.addAll(pipeline.subList(2, pipeline.size()));
    return all;
  }

  static JournalEntry stage(int seq, long millis, JournalEvent event) {
    return new JournalEntry(PIPELINE_RUN, seq, at(millis), event);
  }
}
