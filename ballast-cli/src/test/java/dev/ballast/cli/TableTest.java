package dev.ballast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
  private static String print(Table table) {
    StringWriter text = new StringWriter();
    table.print(new PrintWriter(text, true));
    return text.toString();
  }

  @Test
  void aLongIdWidensItsColumnAndTheOthersStayInLine() {
    Table table =
        new Table("RUN", "STATUS", "DEPLOYMENT", "ERROR", "ATTEMPTS>")
            .row("run_01a2", "succeeded", "primary", null, 1)
            .row("prun_01a252b2c2c06ccbe67824/answer/1@1", "failed", null, "upstream_5xx", 12);

    assertThat(print(table))
        .isEqualTo(
            """
            RUN                                     STATUS     DEPLOYMENT  ERROR         ATTEMPTS
            run_01a2                                succeeded  primary     -                    1
            prun_01a252b2c2c06ccbe67824/answer/1@1  failed     -           upstream_5xx        12
            """);
  }

  @Test
  void theLastColumnIsNotPadded() {
    assertThat(print(new Table("A", "B").row("x", "long text"))).isEqualTo("A  B\nx  long text\n");
  }
}
