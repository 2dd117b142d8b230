package dev.ballast.cli;

import dev.ballast.replay.trace.TraceNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A run's execution tree as text: one line per node (name, outcome, duration, details), children
 * indented under their parent; retrieved chunks and context cuts on lines of their own.
 */
final class TraceText {
  /**
   * Shown on the root's line only: below it they repeat the root or the node's own name, or (the
   * stored output's hash) differ between equal outputs; output_digest is the one to compare.
   */
  private static final Set<String> QUIET =
      Set.of("run_id", "tenant", "chunks", "cut", "index", "attempt", "effect_key", "output_hash");

  private TraceText() {}

  static void print(PrintWriter out, TraceNode root) {
    print(out, root, "", "", true);
  }

  private static void print(
      PrintWriter out, TraceNode node, String lead, String childLead, boolean root) {
    StringBuilder line = new StringBuilder(lead).append(node.name());
    if (node.status() != null) {
      line.append("  [").append(node.status()).append(']');
    }
    if (node.durationMs() != null) {
      line.append(String.format(Locale.ROOT, "  %.1f ms", node.durationMs()));
    }
    for (Map.Entry<String, Object> a : node.attributes().entrySet()) {
      if (!root && QUIET.contains(a.getKey())) {
        continue;
      }
      if (a.getValue() instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
        continue;
      }
      line.append("  ").append(a.getKey()).append('=').append(value(a.getValue()));
    }
    out.println(line);
    detailLines(out, node, childLead + (node.children().isEmpty() ? "   " : "│  "));
    List<TraceNode> children = node.children();
    for (int i = 0; i < children.size(); i++) {
      boolean last = i == children.size() - 1;
      print(
          out,
          children.get(i),
          childLead + (last ? "└─ " : "├─ "),
          childLead + (last ? "   " : "│  "),
          false);
    }
  }

  private static void detailLines(PrintWriter out, TraceNode node, String lead) {
    if (node.attributes().get("chunks") instanceof List<?> chunks) {
      for (Object c : chunks) {
        Map<?, ?> chunk = (Map<?, ?>) c;
        out.printf(
            Locale.ROOT,
            "%s· %s  chunk %s  hash %s  score %.4f%n",
            lead,
            chunk.get("document"),
            chunk.get("chunk_id"),
            shortHash(chunk.get("content_hash")),
            ((Number) chunk.get("score")).doubleValue());
      }
    }
    if (node.attributes().get("cut") instanceof List<?> cuts) {
      for (Object c : cuts) {
        Map<?, ?> cut = (Map<?, ?>) c;
        out.printf(
            "%s✂ %s %s: %s of %s tokens kept (%s)%n",
            lead,
            cut.get("kind"),
            cut.get("ref"),
            cut.get("tokens"),
            cut.get("original_tokens"),
            cut.get("reason"));
      }
    }
  }

  private static String value(Object v) {
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, d < 0.01 && d > 0 ? "%.6f" : "%.2f", d);
    }
    if (v instanceof String s && s.length() == 64 && s.chars().allMatch(ch -> ch < 128)) {
      return shortHash(s);
    }
    return String.valueOf(v);
  }

  private static String shortHash(Object hash) {
    String s = String.valueOf(hash);
    return s.length() > 12 ? s.substring(0, 12) : s;
  }
}
