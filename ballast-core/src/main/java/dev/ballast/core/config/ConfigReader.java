package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML tree while collecting every problem with its path instead of stopping at the first,
 * so an operator fixes a configuration in one round. Values are interpolated from the environment
 * ({@code ${NAME}}, {@code ${NAME:-default}}) as they are read.
 */
final class ConfigReader {
  private static final Pattern ENV_REF =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final int MIN_SECRET_LENGTH = 6;

  private final Map<String, String> env;
  private final List<String> errors = new ArrayList<>();
  // What was read from the environment, so that no error message can print it: by path, the text
  // as written (with its ${NAME}s) and as interpolated; and every value substituted, by name.
  private final Map<String, String> written = new HashMap<>();
  private final Map<String, String> interpolated = new HashMap<>();
  private final Map<String, String> substitutedValues = new LinkedHashMap<>();

  ConfigReader(Map<String, String> env) {
    this.env = env;
  }

  List<String> errors() {
    return errors;
  }

  /**
   * Records a problem at {@code path}. A message never prints a value substituted from the
   * environment (it may be a secret): the value read at {@code path} is shown as written, {@code
   * ${NAME}}, and any other substituted value it still contains as {@code ${NAME}} too.
   */
  void error(String path, String message) {
    errors.add(path + ": " + scrub(path, message));
  }

  private String scrub(String path, String message) {
    String shown = message;
    String value = interpolated.get(path);
    if (value != null && !value.isEmpty()) {
      shown = replaceToken(shown, value, written.get(path));
    }
    for (Map.Entry<String, String> e : substitutedValues.entrySet()) {
      // Elsewhere only values long enough to be secrets: a "1" or "true" from the environment is
      // not one, and hiding it would turn "between 1 and 10" into nonsense.
      if (e.getKey().length() >= MIN_SECRET_LENGTH) {
        shown = replaceToken(shown, e.getKey(), "${" + e.getValue() + "}");
      }
    }
    return shown;
  }

  /** Replaces {@code token} where it stands alone, so that "1" never mangles "10". */
  private static String replaceToken(String text, String token, String replacement) {
    return text.replaceAll(
        "(?<![A-Za-z0-9])" + Pattern.quote(token) + "(?![A-Za-z0-9])",
        Matcher.quoteReplacement(replacement));
  }

  /** Checks that {@code node} is a mapping with only {@code allowed} keys. */
  boolean object(JsonNode node, String path, Set<String> allowed) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isObject()) {
      error(path, "expected a mapping, but was " + kind(node));
      return false;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        error(
            join(path, name),
            "unknown key (expected one of: " + String.join(", ", sorted(allowed)) + ")");
      }
    }
    return true;
  }

  /** Reads each entry of a mapping of named sections ({@code providers.NAME}). */
  <T> Map<String, T> named(JsonNode node, String path, BiFunction<String, JsonNode, T> reader) {
    Map<String, T> result = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (!node.isObject()) {
      error(path, "expected a mapping of names to sections, but was " + kind(node));
      return result;
    }
    node.fields()
        .forEachRemaining(
            e -> {
              T value = reader.apply(e.getKey(), e.getValue());
              if (value != null) {
                result.put(e.getKey(), value);
              }
            });
    return result;
  }

  String string(JsonNode parent, String path, String key, String fallback, boolean secret) {
    JsonNode node = parent == null ? null : parent.get(key);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isValueNode() || node.isBinary()) {
      error(join(path, key), "expected a string, but was " + kind(node));
      return fallback;
    }
    return interpolate(join(path, key), node.asText(), secret);
  }

  String required(JsonNode parent, String path, String key) {
    String value = string(parent, path, key, null, false);
    if (value == null || value.isBlank()) {
      if (parent == null || parent.get(key) == null) {
        error(join(path, key), "is required");
      } else if (value != null) {
        error(join(path, key), "must not be empty");
      }
      return null;
    }
    return value;
  }

  long integer(JsonNode parent, String path, String key, long fallback, long min, long max) {
    String text = string(parent, path, key, null, false);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.trim().replace("_", ""));
      if (value < min || value > max) {
        error(join(path, key), "must be between " + min + " and " + max + ", but was " + value);
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      error(join(path, key), "expected an integer, but was \"" + text + "\"");
      return fallback;
    }
  }

  double decimal(JsonNode parent, String path, String key, double fallback) {
    String text = string(parent, path, key, null, false);
    if (text == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text.trim());
      if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
        error(join(path, key), "must be a non-negative number, but was " + text);
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      error(join(path, key), "expected a number, but was \"" + text + "\"");
      return fallback;
    }
  }

  boolean bool(JsonNode parent, String path, String key, boolean fallback) {
    String text = string(parent, path, key, null, false);
    if (text == null) {
      return fallback;
    }
    return switch (text.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        error(join(path, key), "expected true or false, but was \"" + text + "\"");
        yield fallback;
      }
    };
  }

  Duration duration(JsonNode parent, String path, String key, Duration fallback) {
    String text = string(parent, path, key, null, false);
    if (text == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      error(
          join(path, key),
          "expected a duration like 250ms, 5s, 2m or 1h, but was \"" + text + "\"");
      return fallback;
    }
    long amount = Long.parseLong(m.group(1));
    Duration value =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
    if (value.isZero()) {
      error(join(path, key), "must be greater than zero");
      return fallback;
    }
    return value;
  }

  List<String> strings(JsonNode parent, String path, String key) {
    JsonNode node = parent == null ? null : parent.get(key);
    List<String> result = new ArrayList<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (!node.isArray()) {
      error(join(path, key), "expected a list, but was " + kind(node));
      return result;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String itemPath = join(path, key) + "[" + i + "]";
      if (!item.isValueNode()) {
        error(itemPath, "expected a string, but was " + kind(item));
      } else {
        result.add(interpolate(itemPath, item.asText(), false));
      }
    }
    return result;
  }

  Map<String, String> stringMap(JsonNode parent, String path, String key) {
    JsonNode node = parent == null ? null : parent.get(key);
    Map<String, String> result = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (!node.isObject()) {
      error(join(path, key), "expected a mapping, but was " + kind(node));
      return result;
    }
    node.fields()
        .forEachRemaining(
            e -> {
              String itemPath = join(join(path, key), e.getKey());
              if (!e.getValue().isValueNode()) {
                error(itemPath, "expected a string, but was " + kind(e.getValue()));
              } else {
                result.put(e.getKey(), interpolate(itemPath, e.getValue().asText(), true));
              }
            });
    return result;
  }

  private String interpolate(String path, String text, boolean secret) {
    Matcher m = ENV_REF.matcher(text);
    StringBuilder out = new StringBuilder();
    boolean substituted = false;
    while (m.find()) {
      substituted = true;
      String value = env.get(m.group(1));
      if (value == null || value.isEmpty()) {
        value = m.group(3);
      } else {
        substitutedValues.put(value, m.group(1));
      }
      if (value == null) {
        error(path, "environment variable " + m.group(1) + " is not set");
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (substituted) {
      written.put(path, text);
      interpolated.put(path, out.toString());
    }
    return out.toString();
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String kind(JsonNode node) {
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isNull()) {
      return "null";
    }
    // Scalars are described, not echoed: the value might be a secret in the wrong place.
    if (node.isNumber()) {
      return "a number";
    }
    return node.isBoolean() ? "a boolean" : "a string";
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }
}
