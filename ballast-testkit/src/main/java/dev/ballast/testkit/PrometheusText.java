package dev.ballast.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must be a
 * {@code # HELP}, a {@code # TYPE} or a sample of the family its {@code # TYPE} announced, labels
 * must be well formed, and histograms must be consistent (cumulative buckets ending in {@code
 * +Inf}, whose count equals {@code _count}, and a {@code _sum}). Anything else throws. Shared by
 * the telemetry module, which checks what its registry writes, and the gateway, which checks what a
 * scraper receives over HTTP.
 */
public final class PrometheusText {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE =
      Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

  public record Sample(String name, Map<String, String> labels, double value) {}

  public record Family(String name, String type, String help, List<Sample> samples) {}

  private PrometheusText() {}

  public static Map<String, Family> parse(String text) {
    Map<String, Family> families = new LinkedHashMap<>();
    Map<String, String> helps = new LinkedHashMap<>();
    Family current = null;
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = HELP.matcher(line)).matches()) {
        check(
            helps.put(m.group(1), m.group(2)) == null, lineNumber, "second HELP for " + m.group(1));
      } else if ((m = TYPE.matcher(line)).matches()) {
        String name = m.group(1);
        check(!families.containsKey(name), lineNumber, "second TYPE for " + name);
        current = new Family(name, m.group(2), helps.get(name), new ArrayList<>());
        families.put(name, current);
      } else if (line.startsWith("#")) {
        throw new IllegalArgumentException("line " + lineNumber + ": unknown comment: " + line);
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        check(current != null, lineNumber, "sample before any TYPE");
        String name = m.group(1);
        check(belongs(current, name), lineNumber, name + " is not of family " + current.name());
        current
            .samples()
            .add(new Sample(name, labels(m.group(3), lineNumber), value(m.group(4), lineNumber)));
      } else {
        throw new IllegalArgumentException("line " + lineNumber + ": not a sample: " + line);
      }
    }
    families.values().stream()
        .filter(f -> f.type().equals("histogram"))
        .forEach(PrometheusText::checkHistogram);
    return families;
  }

  private static boolean belongs(Family family, String sample) {
    String base = family.name();
    return switch (family.type()) {
      case "histogram" ->
          sample.equals(base + "_bucket")
              || sample.equals(base + "_sum")
              || sample.equals(base + "_count");
      case "summary" ->
          sample.equals(base) || sample.equals(base + "_sum") || sample.equals(base + "_count");
      case "counter" -> sample.equals(base) || sample.equals(base + "_total");
      default -> sample.equals(base);
    };
  }

  private static Map<String, String> labels(String body, int lineNumber) {
    Map<String, String> labels = new TreeMap<>();
    if (body == null || body.isEmpty()) {
      return labels;
    }
    Matcher m = LABEL.matcher(body);
    int at = 0;
    while (at < body.length()) {
      check(
          m.find(at) && m.start() == at, lineNumber, "bad label syntax at: " + body.substring(at));
      check(labels.put(m.group(1), m.group(2)) == null, lineNumber, "repeated label " + m.group(1));
      at = m.end();
    }
    return labels;
  }

  private static double value(String text, int lineNumber) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("line " + lineNumber + ": bad value " + text, e);
        }
      }
    };
  }

  /** Buckets are cumulative, end in +Inf, and +Inf equals _count; every series has a _sum. */
  private static void checkHistogram(Family family) {
    Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
    Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
    Map<Map<String, String>, Double> sums = new LinkedHashMap<>();
    for (Sample s : family.samples()) {
      Map<String, String> series = new TreeMap<>(s.labels());
      if (s.name().endsWith("_bucket")) {
        String le = series.remove("le");
        if (le == null) {
          throw new IllegalArgumentException(family.name() + ": a bucket without le");
        }
        buckets.computeIfAbsent(series, k -> new TreeMap<>()).put(value(le, 0), s.value());
      } else if (s.name().endsWith("_count")) {
        counts.put(series, s.value());
      } else {
        sums.put(series, s.value());
      }
    }
    if (buckets.isEmpty()) {
      throw new IllegalArgumentException(family.name() + ": a histogram without buckets");
    }
    buckets.forEach(
        (series, byLe) -> {
          double previous = 0;
          for (double count : byLe.values()) {
            if (count < previous) {
              throw new IllegalArgumentException(
                  family.name() + series + ": buckets not cumulative");
            }
            previous = count;
          }
          if (!byLe.containsKey(Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(family.name() + series + ": no +Inf bucket");
          }
          if (!byLe.get(Double.POSITIVE_INFINITY).equals(counts.get(series))) {
            throw new IllegalArgumentException(
                family.name() + series + ": +Inf bucket differs from _count");
          }
          if (!sums.containsKey(series)) {
            throw new IllegalArgumentException(family.name() + series + ": no _sum");
          }
        });
  }

  private static void check(boolean condition, int lineNumber, String message) {
    if (!condition) {
      throw new IllegalArgumentException("line " + lineNumber + ": " + message);
    }
  }
}
