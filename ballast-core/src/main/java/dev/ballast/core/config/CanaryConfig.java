package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code canaries.NAME}: a golden prompt sent to a model group, or a golden input submitted to a
 * pipeline, on a cadence, once per cluster, and judged by its checks. Each is an ordinary journaled
 * run for the reserved tenant {@value #TENANT} (kind {@code canary} for a group; a pipeline run and
 * a {@code canary} run holding its verdict for a pipeline), outside every tenant's limits, budget
 * and run listing.
 *
 * @param group the model group asked, or null for a pipeline canary
 * @param pipeline the pipeline run, or null for a group canary
 * @param every the cadence: one run per period of this length, whichever node takes it
 * @param system an optional system message (group canaries), or null
 * @param input the user message of a group canary; a pipeline canary's run input, as JSON text
 * @param checks what the answer (a pipeline's output: its text, or its JSON) must look like
 */
public record CanaryConfig(
    String name,
    String group,
    String pipeline,
    Duration every,
    String system,
    String input,
    Checks checks) {

  /** The tenant canary runs are journaled under; no configured tenant may take this name. */
  public static final String TENANT = "ballast";

  /**
   * The reserved tenant as its runs are served: content captured, no limits, batch priority. A
   * pipeline canary's stages call models as this tenant.
   */
  public static final TenantConfig TENANT_CONFIG =
      new TenantConfig(TENANT, List.of(), true, List.of(), "batch", TenantLimits.UNLIMITED);

  /** The cadence when the config names none. */
  public static final Duration DEFAULT_EVERY = Duration.ofSeconds(60);

  /**
   * A canary's checks; each optional.
   *
   * @param contains strings the answer must contain (case-sensitive)
   * @param notContains strings the answer must not contain
   * @param regex patterns each of which must be found in the answer
   * @param maxTokens the most output tokens the answer may use; 0 for no limit
   * @param jsonSchema a JSON Schema the answer, parsed as JSON, must match; null for none
   * @param similarTo a reference answer the answer must resemble; null for none
   */
  public record Checks(
      List<String> contains,
      List<String> notContains,
      List<Pattern> regex,
      int maxTokens,
      JsonNode jsonSchema,
      Similarity similarTo) {
    public Checks {
      contains = List.copyOf(contains);
      notContains = List.copyOf(notContains);
      regex = List.copyOf(regex);
    }
  }

  /**
   * Semantic similarity to a reference answer: the cosine of the two texts' vectors from the local
   * embedding model must reach {@code threshold}.
   */
  public record Similarity(String reference, double threshold) {
    public static final double DEFAULT_THRESHOLD = 0.8;
  }
}
