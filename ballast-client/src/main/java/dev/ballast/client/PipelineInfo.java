package dev.ballast.client;

import java.time.Duration;
import java.util.List;

/**
 * A pipeline the gateway defines.
 *
 * @param version the content-derived version new runs execute
 * @param maxConcurrent runs of this pipeline one worker node executes at once; 0 for no limit
 * @param priority the default priority of its runs; higher is claimed first
 */
public record PipelineInfo(
    String name,
    String version,
    String description,
    int maxConcurrent,
    int priority,
    List<Stage> stages) {

  public PipelineInfo {
    stages = stages == null ? List.of() : List.copyOf(stages);
  }

  /**
   * One stage's definition.
   *
   * @param type e.g. {@code generate}, {@code http_action}, {@code java}
   * @param timeout one attempt's limit; null when the gateway did not say
   * @param dependency what the stage calls (its breaker's name), or null
   * @param effectful true when the stage changes the world outside the run
   */
  public record Stage(
      String name,
      String type,
      Duration timeout,
      int maxAttempts,
      String dependency,
      boolean effectful) {}
}
