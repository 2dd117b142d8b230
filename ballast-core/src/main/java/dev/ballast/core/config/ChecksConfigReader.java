package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a group's {@code checks} and a deployment's {@code expect}, reporting every problem with
 * its path (e.g. {@code groups.chat.checks.must_match[0]: invalid regex ...}).
 */
final class ChecksConfigReader {
  private static final Set<String> CHECK_KEYS =
      Set.of(
          "non_empty",
          "min_chars",
          "max_chars",
          "min_tokens",
          "max_tokens",
          "refusal",
          "must_match",
          "must_not_match",
          "stream");
  private static final Set<String> EXPECT_KEYS = Set.of("model", "fingerprint", "on_mismatch");
  private static final int MAX_LENGTH = 100_000_000;

  private ChecksConfigReader() {}

  static OutputChecks checks(ConfigReader r, String path, JsonNode node) {
    if (!r.object(node, path, CHECK_KEYS)) {
      return OutputChecks.NONE;
    }
    int minChars = bound(r, node, path, "min_chars");
    int maxChars = bound(r, node, path, "max_chars");
    int minTokens = bound(r, node, path, "min_tokens");
    int maxTokens = bound(r, node, path, "max_tokens");
    ordered(r, path, "chars", minChars, maxChars);
    ordered(r, path, "tokens", minTokens, maxTokens);
    return new OutputChecks(
        r.bool(node, path, "non_empty", false),
        minChars,
        maxChars,
        minTokens,
        maxTokens,
        patterns(r, node, path, "refusal"),
        patterns(r, node, path, "must_match"),
        patterns(r, node, path, "must_not_match"),
        streamPolicy(r, node, path));
  }

  private static int bound(ConfigReader r, JsonNode node, String path, String key) {
    if (node.has(key) && !node.get(key).isNull()) {
      return (int) r.integer(node, path, key, 0, 1, MAX_LENGTH);
    }
    return 0;
  }

  private static void ordered(ConfigReader r, String path, String unit, int min, int max) {
    if (min > 0 && max > 0 && min > max) {
      r.error(
          path + ".min_" + unit, "must not exceed max_" + unit + " (" + max + "), but was " + min);
    }
  }

  private static List<Pattern> patterns(ConfigReader r, JsonNode node, String path, String key) {
    List<Pattern> compiled = new ArrayList<>();
    List<String> sources = r.strings(node, path, key);
    for (int i = 0; i < sources.size(); i++) {
      try {
        compiled.add(Pattern.compile(sources.get(i)));
      } catch (PatternSyntaxException e) {
        r.error(
            path + "." + key + "[" + i + "]",
            "invalid regex: "
                + e.getDescription()
                + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
      }
    }
    return compiled;
  }

  private static OutputChecks.StreamPolicy streamPolicy(
      ConfigReader r, JsonNode node, String path) {
    String name = r.string(node, path, "stream", "record", false);
    try {
      return OutputChecks.StreamPolicy.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      r.error(path + ".stream", "expected record or hold, but was \"" + name + "\"");
      return OutputChecks.StreamPolicy.RECORD;
    }
  }

  /**
   * Reads {@code deployments.NAME.expect}.
   *
   * @param providerType the deployment's provider's type, or null when it is unknown
   */
  /**
   * The name of a provider family whose answers carry no system_fingerprint, or null when they do
   * (the OpenAI wire and the servers copying it).
   */
  private static String withoutFingerprint(ProviderType type) {
    return switch (type) {
      case ANTHROPIC -> "Anthropic";
      case GEMINI -> "Gemini";
      case BEDROCK -> "Bedrock Converse";
      case null, default -> null;
    };
  }

  static ExpectedIdentity expect(
      ConfigReader r, String path, JsonNode node, ProviderType providerType) {
    if (!r.object(node, path, EXPECT_KEYS)) {
      return ExpectedIdentity.NONE;
    }
    int errorsBefore = r.errors().size();
    String model = r.string(node, path, "model", null, false);
    if (model != null && model.isBlank()) {
      r.error(path + ".model", "must not be empty");
      model = null;
    }
    List<String> fingerprints = fingerprints(r, node, path);
    if (model == null && fingerprints.isEmpty() && r.errors().size() == errorsBefore) {
      r.error(path, "names neither a model nor a fingerprint to expect");
    }
    String family = withoutFingerprint(providerType);
    if (!fingerprints.isEmpty() && family != null) {
      r.error(
          path + ".fingerprint",
          family + " answers carry no system_fingerprint; pin the model only");
    }
    String onMismatch = r.string(node, path, "on_mismatch", "record", false);
    ExpectedIdentity.OnMismatch mode = ExpectedIdentity.OnMismatch.RECORD;
    try {
      mode = ExpectedIdentity.OnMismatch.valueOf(onMismatch.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      r.error(path + ".on_mismatch", "expected record or fail, but was \"" + onMismatch + "\"");
    }
    return new ExpectedIdentity(model, fingerprints, mode);
  }

  /** {@code fingerprint}: one string or a list of them. */
  private static List<String> fingerprints(ConfigReader r, JsonNode node, String path) {
    JsonNode f = node.get("fingerprint");
    List<String> values =
        f != null && f.isValueNode() && !f.isNull()
            ? List.of(r.string(node, path, "fingerprint", "", false))
            : r.strings(node, path, "fingerprint");
    List<String> result = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i).strip();
      if (v.isEmpty()) {
        r.error(path + ".fingerprint" + (f.isArray() ? "[" + i + "]" : ""), "must not be empty");
      } else {
        result.add(v);
      }
    }
    return result;
  }
}
