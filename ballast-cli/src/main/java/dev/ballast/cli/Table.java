package dev.ballast.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table whose columns are as wide as their widest cell, so that a long id (a stage
 * call's {@code prun_…/answer/1@1}) widens its column instead of pushing the rest of its row out of
 * line. Cells are never cut; a column may be marked numeric to align right.
 */
final class Table {
  private final List<String> headers;
  private final boolean[] right;
  private final List<List<String>> rows = new ArrayList<>();

  /** Headers; one ending in {@code >} is a right-aligned (numeric) column, without the marker. */
  Table(String... headers) {
    this.headers = new ArrayList<>();
    this.right = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      right[i] = headers[i].endsWith(">");
      this.headers.add(right[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i]);
    }
  }

  Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "a row of " + headers.size() + " columns, but " + cells.length + " cells");
    }
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell == null ? "-" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (List<String> row : all()) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        boolean last = i == row.size() - 1;
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(i == 0 ? "" : "  ");
        line.append(right[i] ? pad + cell : last ? cell : cell + pad);
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private List<List<String>> all() {
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    return all;
  }
}
