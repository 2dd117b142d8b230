package dev.ballast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrownoutReportTest {
  @TempDir Path dir;

  @Test
  void replacesOnlyTheBrownoutSection() throws Exception {
    Path md = dir.resolve("BENCHMARKS.md");
    Files.writeString(
        md,
        "# Benchmarks\n\n## Gateway overhead\n\nkeep me\n\n## Brownout\n\nold\n\n## Later\n\nme too\n");

    BrownoutReport.updateBenchmarks(md, "# Brownout — 2026-01-01\n\nnew numbers\n");

    String text = Files.readString(md);
    assertThat(text)
        .startsWith("# Benchmarks\n\n## Gateway overhead\n\nkeep me\n\n## Brownout\n")
        .contains("### Latest: Brownout — 2026-01-01\n\nnew numbers\n")
        .doesNotContain("old")
        .endsWith("\n## Later\n\nme too\n");
  }

  @Test
  void appendsTheSectionWhenItIsMissing() throws Exception {
    Path md = dir.resolve("BENCHMARKS.md");
    Files.writeString(md, "# Benchmarks\n\n## Gateway overhead\n\nkeep me\n");

    BrownoutReport.updateBenchmarks(md, "# Brownout — 2026-01-01\n\nnew numbers\n");

    assertThat(Files.readString(md))
        .startsWith("# Benchmarks\n\n## Gateway overhead\n\nkeep me\n\n## Brownout\n")
        .endsWith("new numbers\n");
  }
}
