package dev.ballast.cli;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.pipeline.PipelineDefinition;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stages of a pipeline run folded from its journal: one row per stage, with how often it was
 * tried, parked and what its last attempt came to. The journal is written asynchronously, so the
 * queue's state (printed above the table) is the authority on where the run is now; the table
 * explains how it got there.
 */
final class StageTable {
  private static final int DETAIL_WIDTH = 72;

  /** One stage. {@code last} is {@code pending} until the journal shows an attempt. */
  static final class Row {
    final int index;
    final String name;
    int tries;
    int parks;
    int effects;
    int resent;
    String last = "pending";
    Double durationMs;
    String detail = "";

    Row(int index, String name) {
      this.index = index;
      this.name = name;
    }
  }

  private StageTable() {}

  /**
   * @param definition the pipeline as this node defines it, when its version is the run's: its
   *     stages are listed even before the journal mentions them; null to list only what the journal
   *     shows
   */
  static List<Row> fold(List<JournalEntry> journal, PipelineDefinition definition) {
    TreeMap<Integer, Row> rows = new TreeMap<>();
    Map<String, Row> byName = new HashMap<>();
    if (definition != null) {
      for (int i = 0; i < definition.stages().size(); i++) {
        Row row = new Row(i, definition.stage(i).name());
        rows.put(i, row);
        byName.put(row.name, row);
      }
    }
    for (JournalEntry entry : journal) {
      switch (entry.event()) {
        case JournalEvent.StageStarted s -> {
          Row row = row(rows, byName, s.index(), s.stage());
          row.tries++;
          row.last = "running";
          row.detail = "on " + s.worker();
        }
        case JournalEvent.StageCompleted c -> {
          Row row = row(rows, byName, c.index(), c.stage());
          row.last = "completed";
          row.durationMs = c.durationMs();
          row.detail = "";
        }
        case JournalEvent.StageFailed f -> failed(row(rows, byName, f.index(), f.stage()), f);
        case JournalEvent.EffectRecorded e -> {
          Row row = byName.get(e.stage());
          if (row != null) {
            row.effects++;
            row.resent += e.firstRecord() ? 0 : 1;
          }
        }
        case JournalEvent.RunDead d -> {
          Row row = byName.get(d.stage());
          if (row != null) {
            row.last = "dead";
          }
        }
        default -> {
          // Run-level events are shown in the journal listing below the table.
        }
      }
    }
    return new ArrayList<>(rows.values());
  }

  static void print(PrintWriter out, List<Row> rows) {
    out.printf(
        "  %3s  %-20s  %5s  %-9s  %10s  %7s  %s%n",
        "#", "STAGE", "TRIES", "LAST", "TIME", "EFFECTS", "DETAIL");
    for (Row r : rows) {
      String detail = r.detail;
      if (r.parks > 0) {
        detail = join(detail, "parked " + r.parks + "x");
      }
      if (r.resent > 0) {
        detail = join(detail, r.resent + " effect(s) sent again with the same key");
      }
      out.printf(
          Locale.ROOT,
          "  %3d  %-20s  %5d  %-9s  %10s  %7d  %s%n",
          r.index,
          Text.trim(r.name, 20),
          r.tries,
          r.last,
          r.durationMs == null ? "-" : String.format(Locale.ROOT, "%.1f ms", r.durationMs),
          r.effects,
          Text.trim(detail, DETAIL_WIDTH));
    }
  }

  private static void failed(Row row, JournalEvent.StageFailed f) {
    row.durationMs = f.durationMs();
    String error = f.errorClass() + ": " + f.message();
    switch (f.next()) {
      case "waiting" -> {
        row.last = "retrying";
        row.detail = error;
      }
      case "parked" -> {
        // A park is not an attempt: the stage did not start, its dependency was down.
        row.parks++;
        row.last = "parked";
        row.detail = "waiting on " + f.dependency();
        row.durationMs = null;
      }
      default -> {
        row.last = f.next();
        row.detail = error;
      }
    }
  }

  private static Row row(
      TreeMap<Integer, Row> rows, Map<String, Row> byName, int index, String name) {
    return rows.computeIfAbsent(
        index,
        i -> {
          Row row = new Row(i, name);
          byName.put(name, row);
          return row;
        });
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : a + "; " + b;
  }
}
