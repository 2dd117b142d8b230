package dev.ballast.gateway.internal.canary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.CanaryConfig;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.normalize.ClientSchemas;
import dev.ballast.core.spi.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A canary's answer judged by its checks: contains, not_contains, regex, max_tokens, json_schema
 * and similarity to a reference answer by the local embedding model. Reasons name the check's
 * configuration and the answer's measures, never its text. Thread-safe.
 */
final class CanaryVerdict {
  private final Supplier<TextEmbedder> embedder;

  /**
   * @param embedder the local embedding model, asked for only when a canary compares with a
   *     reference (loading it costs memory and time)
   */
  CanaryVerdict(Supplier<TextEmbedder> embedder) {
    this.embedder = embedder;
  }

  /** What the checks found. */
  record Result(List<OutputCheckFailure> failures, Double similarity) {
    boolean passed() {
      return failures.isEmpty();
    }
  }

  Result judge(CanaryConfig.Checks checks, ChatResponse answer) {
    String text = answer.message() == null ? "" : answer.message().text();
    int tokens = answer.usage() == null ? 0 : answer.usage().outputTokens();
    return judge(checks, text, tokens);
  }

  /**
   * Judges an answer's text; {@code outputTokens} is 0 when unknown (a pipeline's output), which no
   * {@code max_tokens} check fails.
   */
  Result judge(CanaryConfig.Checks checks, String text, int outputTokens) {
    List<OutputCheckFailure> failures = new ArrayList<>();
    for (int i = 0; i < checks.contains().size(); i++) {
      if (!text.contains(checks.contains().get(i))) {
        failures.add(fail("contains[" + i + "]", "the answer lacks the required text"));
      }
    }
    for (int i = 0; i < checks.notContains().size(); i++) {
      if (text.contains(checks.notContains().get(i))) {
        failures.add(fail("not_contains[" + i + "]", "the answer holds the forbidden text"));
      }
    }
    for (int i = 0; i < checks.regex().size(); i++) {
      if (!found(checks.regex().get(i), text)) {
        failures.add(
            fail("regex[" + i + "]", "the answer does not match /" + checks.regex().get(i) + "/"));
      }
    }
    int tokens = outputTokens;
    if (checks.maxTokens() > 0 && tokens > checks.maxTokens()) {
      failures.add(
          fail(
              "max_tokens", tokens + " output tokens, more than max_tokens " + checks.maxTokens()));
    }
    if (checks.jsonSchema() != null) {
      schema(checks.jsonSchema(), text).ifPresent(failures::add);
    }
    Double similarity = null;
    if (checks.similarTo() != null) {
      similarity = similarity(checks.similarTo(), text, failures);
    }
    return new Result(failures, similarity);
  }

  private static java.util.Optional<OutputCheckFailure> schema(JsonNode schema, String text) {
    JsonNode value;
    try {
      value = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return java.util.Optional.of(fail("json_schema", "the answer is not JSON"));
    }
    if (value == null) {
      return java.util.Optional.of(fail("json_schema", "the answer is empty"));
    }
    var errors = ClientSchemas.shared().compile(schema, "json_schema").validate(value);
    return errors.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(
            fail("json_schema", "the answer does not match the schema: " + errors.getFirst()));
  }

  private Double similarity(
      CanaryConfig.Similarity similar, String text, List<OutputCheckFailure> failures) {
    double cosine;
    try {
      List<float[]> vectors = embedder.get().embed(List.of(text, similar.reference()));
      cosine = cosine(vectors.get(0), vectors.get(1));
    } catch (RuntimeException e) {
      failures.add(fail("similar_to", "the embedding model could not compare: " + e.getMessage()));
      return null;
    }
    if (cosine < similar.threshold()) {
      failures.add(
          fail(
              "similar_to",
              String.format(
                  java.util.Locale.ROOT,
                  "similarity %.3f to the reference, below the threshold %.3f",
                  cosine,
                  similar.threshold())));
    }
    return cosine;
  }

  /** A pattern too deep for the regex engine on this answer counts as not found. */
  private static boolean found(java.util.regex.Pattern pattern, String text) {
    try {
      return pattern.matcher(text).find();
    } catch (StackOverflowError e) {
      return false;
    }
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private static OutputCheckFailure fail(String rule, String reason) {
    return new OutputCheckFailure(rule, reason, true);
  }
}
