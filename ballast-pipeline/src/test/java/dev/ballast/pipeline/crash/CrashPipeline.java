package dev.ballast.pipeline.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.pipeline.RetryPolicy;
import dev.ballast.core.pipeline.StageContext;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pipeline of the crash test: five stages, built identically by the submitting test process and
 * by every worker process (so that all of them compute the same pipeline version).
 *
 * <ol>
 *   <li>{@code prepare} (java): squares the input after a random pause;
 *   <li>{@code enrich} (transform): copies {@code prepare}'s values and adds a tag;
 *   <li>{@code score} (java): derives a score from {@code enrich} after a random pause;
 *   <li>{@code notify} (http_action, effectful): posts the score to the recording sink;
 *   <li>{@code finish} (transform): gathers a value of every earlier stage, so the final output
 *       proves each stage's checkpointed output reached the end.
 * </ol>
 *
 * <p>Every value is a function of the input, so the final output of run {@code n} is known in
 * advance ({@link #expectedOutput}) whichever workers executed which stages.
 */
final class CrashPipeline {
  static final String NAME = "crash";
  static final String EFFECT_STAGE = "notify";

  /**
   * A reclaim after a crash counts as an attempt of the stage the run is at (docs/queue.md), so a
   * run whose holders are killed several times in one stage must still have attempts left for an
   * ordinary failure.
   */
  static final RetryPolicy RETRY =
      new RetryPolicy(10, Duration.ofMillis(50), Duration.ofSeconds(1), 2);

  private CrashPipeline() {}

  /**
   * @param sinkUrl where {@code notify} posts
   * @param maxPause the longest random pause of each java stage; zero for none
   */
  static Pipeline build(String sinkUrl, Duration maxPause) {
    ObjectNode enrich = object();
    enrich.set(
        "output",
        object()
            .put("n", "{{stages.prepare.n}}")
            .put("sq", "{{stages.prepare.sq}}")
            .put("tag", "item-{{input.n}}"));
    ObjectNode notify = object().put("url", sinkUrl).put("method", "POST");
    notify.set(
        "body",
        object()
            .put("n", "{{input.n}}")
            .put("score", "{{stages.score.score}}")
            .put("tag", "{{stages.enrich.tag}}"));
    ObjectNode finish = object();
    finish.set(
        "output",
        object()
            .put("n", "{{input.n}}")
            .put("sq", "{{stages.prepare.sq}}")
            .put("tag", "{{stages.enrich.tag}}")
            .put("score", "{{stages.score.score}}")
            .put("status", "{{stages.notify.status}}")
            .put("receipt", "{{stages.notify.body.receipt}}")
            .put("effect_key", "{{stages.notify.effect_key}}"));
    return Pipeline.named(NAME)
        .stage("prepare", ctx -> prepare(ctx, maxPause))
        .retry(RETRY)
        .stage("enrich", "transform", enrich)
        .retry(RETRY)
        .stage("score", ctx -> score(ctx, maxPause))
        .retry(RETRY)
        .stage(EFFECT_STAGE, "http_action", notify)
        .effectful()
        .timeout(Duration.ofSeconds(10))
        .retry(RETRY)
        .stage("finish", "transform", finish)
        .retry(RETRY)
        .build();
  }

  static ObjectNode input(int n) {
    return object().put("n", n);
  }

  /** The key under which run {@code runId} posts to the sink. */
  static String effectKey(String runId) {
    return runId + "/" + EFFECT_STAGE + "/webhook";
  }

  static long square(long n) {
    return n * n;
  }

  static long score(long square) {
    return square * 3 + 7;
  }

  /** What {@code finish} must output for run {@code runId} with input {@code n}. */
  static ObjectNode expectedOutput(String runId, int n) {
    String key = effectKey(runId);
    return object()
        .put("n", n)
        .put("sq", square(n))
        .put("tag", "item-" + n)
        .put("score", score(square(n)))
        .put("status", 200)
        .put("receipt", RecordingSink.receipt(key))
        .put("effect_key", key);
  }

  private static JsonNode prepare(StageContext ctx, Duration maxPause) throws InterruptedException {
    pause(maxPause);
    long n = ctx.input().get("n").asLong();
    return object().put("n", n).put("sq", square(n)).put("worker", ctx.workerId());
  }

  private static JsonNode score(StageContext ctx, Duration maxPause) throws InterruptedException {
    pause(maxPause);
    long sq = ctx.outputs().get("enrich").get("sq").asLong();
    return object().put("score", score(sq)).put("worker", ctx.workerId());
  }

  private static void pause(Duration max) throws InterruptedException {
    if (max.isPositive()) {
      Thread.sleep(ThreadLocalRandom.current().nextLong(max.toMillis() + 1));
    }
  }

  private static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
