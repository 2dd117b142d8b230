package dev.ballast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.spi.Store;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.core.watch.MinuteAggregate;
import dev.ballast.store.Stores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ballast alerts list|show} and {@code ballast watch --once}, read from a store. */
class AlertsCommandTest {
  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void listsAndShowsAnAlertWithItsRunsAndDiff() {
    Instant now = Instant.now();
    try (Store store = Stores.open("sqlite:", dir)) {
      store
          .watch()
          .open(
              new AlertRecord(
                  "alrt_cli",
                  "deployment:gpt4o",
                  "model",
                  "model_changed",
                  AlertState.OPEN,
                  "critical",
                  "model changed: gpt-4o-2024-11-20 (known: gpt-4o-2024-08-06) on deployment:gpt4o",
                  now,
                  now,
                  null,
                  now,
                  null,
                  null,
                  null,
                  1,
                  "run_good",
                  "run_bad",
                  Map.of("seen", "gpt-4o-2024-11-20"),
                  List.of(
                      new AlertRecord.DiffRow(
                          "run", "response_model", "gpt-4o-2024-08-06", "gpt-4o-2024-11-20")),
                  0));
      store
          .watch()
          .saveMinutes(
              List.of(
                  new MinuteAggregate(
                      now.getEpochSecond() / 60,
                      "deployment:gpt4o",
                      "latency",
                      "n1",
                      2,
                      2 * Math.log(200),
                      2 * Math.pow(Math.log(200), 2),
                      "105:2")));
    }
    String data = dir.toString();

    Result list = run("alerts", "list", "--state", "open", "--data", data);
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("alrt_cli").contains("critical").contains("model changed");

    Result show = run("alerts", "show", "alrt_cli", "--data", data);
    assertThat(show.exit()).isZero();
    assertThat(show.out())
        .contains("last good run run_good")
        .contains("first bad run run_bad")
        .contains("run response_model: gpt-4o-2024-08-06 -> gpt-4o-2024-11-20");

    Result watch = run("watch", "--once", "--data", data);
    assertThat(watch.exit()).isZero();
    assertThat(watch.out())
        .contains("open alerts: 1")
        .contains("deployment:gpt4o")
        .contains("200.0");

    assertThat(run("alerts", "list", "--state", "resolved", "--data", data).out())
        .contains("no alerts");
  }

  @Test
  void anUnknownAlertOrStateIsSaidPlainly() throws Exception {
    String data = dir.toString();
    dev.ballast.store.Stores.open("sqlite:", dir).close();
    Result unknown = run("alerts", "show", "alrt_nope", "--data", data);
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("no alert with id 'alrt_nope'");

    Result badState = run("alerts", "list", "--state", "sideways", "--data", data);
    assertThat(badState.exit()).isEqualTo(2);
    assertThat(badState.err()).contains("--state must be open or resolved");
  }
}
