package dev.ballast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ballast spend}, read from a store with seeded calls. */
class SpendCommandTest {
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

  /** acme: two calls of 0.25 USD, one by key k1; globex: one call of 0.5 USD; an hour ago. */
  @BeforeEach
  void seed() {
    Instant at = Instant.now().minusSeconds(3600);
    try (Store store = Stores.open("sqlite:", dir)) {
      call(store, "run_a", at, "acme", "k1", 0.25);
      call(store, "run_b", at.plusSeconds(1), "acme", null, 0.25);
      call(store, "run_c", at.plusSeconds(2), "globex", null, 0.5);
    }
  }

  @Test
  void printsATablePerGroupWithItsTotal() {
    Result r = run("spend", "--group-by", "tenant", "--data", dir.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("acme\\s+2\\s+200\\s+100\\s+0\\.5\\b")
        .containsPattern("globex\\s+1\\s+100\\s+50\\s+0\\.5\\b")
        .containsPattern("TOTAL\\s+3\\s+300\\s+150\\s+1\\b");
  }

  @Test
  void printsJsonPerKeyAndForAWindow() throws Exception {
    Result r =
        run(
            "spend",
            "--group-by",
            "key",
            "--since",
            "2h",
            "--until",
            "30m",
            "--json",
            "--data",
            dir.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    var report = Json.mapper().readTree(r.out());
    assertThat(report.path("group_by").asText()).isEqualTo("key");
    assertThat(report.at("/totals/requests").asLong()).isEqualTo(3);
    assertThat(report.at("/totals/cost_usd").asDouble()).isEqualTo(1.0);
    assertThat(report.path("rows").findValuesAsText("group")).contains("k1");

    Result empty = run("spend", "--since", "30m", "--json", "--data", dir.toString());
    assertThat(Json.mapper().readTree(empty.out()).at("/totals/requests").asLong()).isZero();
  }

  @Test
  void badArgumentsAreNamed() {
    Result group = run("spend", "--group-by", "colour", "--data", dir.toString());
    assertThat(group.exit()).isEqualTo(2);
    assertThat(group.err()).contains("--group-by must be tenant, key, model or pipeline");

    Result since = run("spend", "--since", "yesterday", "--data", dir.toString());
    assertThat(since.exit()).isEqualTo(2);
    assertThat(since.err()).contains("--since").contains("'yesterday'");

    Result order = run("spend", "--since", "1h", "--until", "2h", "--data", dir.toString());
    assertThat(order.exit()).isEqualTo(2);
    assertThat(order.err()).contains("must be before --until");
  }

  private static void call(
      Store store, String runId, Instant at, String tenant, String keyId, double cost) {
    JournalEntry started =
        new JournalEntry(
            runId,
            0,
            at,
            new JournalEvent.RunStarted(
                "gateway", "chat", "openai", tenant, "default", false, null, null, keyId));
    JournalEntry attempt =
        new JournalEntry(
            runId,
            1,
            at.plusMillis(5),
            new JournalEvent.ProviderAttempt(
                1,
                "primary",
                "openai",
                "gpt-4o",
                "ok",
                200,
                null,
                50,
                null,
                new Usage(100, 50, 0, 0, false),
                cost,
                "gpt-4o",
                null,
                "closed",
                "answered",
                List.of(),
                null,
                null));
    store.journal().append(List.of(started, attempt), Map.of());
  }
}
