package dev.ballast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Keeps one second-level section of BENCHMARKS.md up to date, leaving the others untouched. */
final class BenchmarksFile {
  private BenchmarksFile() {}

  /**
   * Replaces the section that starts with {@code heading} (a {@code ## } line) up to the next
   * second-level heading with {@code section}, which starts with that heading; appends it when the
   * file has no such section. Every other section is left byte for byte as it was.
   */
  static void replaceSection(Path benchmarks, String heading, String section) throws IOException {
    String text = Files.readString(benchmarks);
    int start = text.indexOf("\n" + heading + "\n");
    String updated;
    if (start < 0) {
      updated = text.stripTrailing() + "\n\n" + section;
    } else {
      int end = text.indexOf("\n## ", start + 1);
      updated =
          text.substring(0, start + 1) + section + (end < 0 ? "" : "\n" + text.substring(end + 1));
    }
    Files.writeString(benchmarks, updated);
  }
}
