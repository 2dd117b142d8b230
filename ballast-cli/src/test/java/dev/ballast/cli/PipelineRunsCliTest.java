package dev.ballast.cli;

import static dev.ballast.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.cli.CliRunner.Result;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runs list/show/resume} on pipeline runs in a SQLite store. */
class PipelineRunsCliTest {
  @TempDir Path dir;
  private Path data;
  private QueueFixture store;

  @BeforeEach
  void openStore() {
    data = dir.resolve("data");
    store = new QueueFixture(data);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private Result cli(String... args) {
    String[] withData = java.util.Arrays.copyOf(args, args.length + 2);
    withData[args.length] = "--data";
    withData[args.length + 1] = data.toString();
    return run(withData);
  }

  @Test
  void resumeQueuesADeadRunAgainAtTheStageThatFailed() {
    store.dead("prun_dead", "digest");

    Result result = cli("runs", "resume", "prun_dead");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("resumed prun_dead: queued at stage notify of digest@0123456789ab")
        .contains("it had failed with: http_503: hook down");
    RunState resumed = store.queue.find("prun_dead").orElseThrow();
    assertThat(resumed.state()).isEqualTo(QueueState.QUEUED);
    assertThat(resumed.stageIndex()).as("the completed stage is kept").isEqualTo(1);
  }

  @Test
  void resumeOfARunThatIsNotDeadExitsOneNamingItsState() {
    store.queued("prun_q", "digest", "acme");

    Result result = cli("runs", "resume", "prun_q");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("ballast: run prun_q is queued, not dead; only a dead run can be resumed\n");
    assertThat(store.queue.find("prun_q").orElseThrow().state()).isEqualTo(QueueState.QUEUED);
  }

  @Test
  void resumeOfAFailedRunExplainsThatFailedIsFinal() {
    store.failed("prun_f", "digest");

    Result result = cli("runs", "resume", "prun_f");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("is failed, not dead: its failure was not retryable");
  }

  @Test
  void resumeOfAnUnknownRunExitsOneAndSaysSo() {
    Result result = cli("runs", "resume", "prun_nope");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("ballast: no pipeline run with id 'prun_nope'\n");
  }

  @Test
  void resumeWithoutAnIdIsAUsageError() {
    Result result = cli("runs", "resume");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("Missing required parameter: 'ID'");
  }

  @Test
  void listWithAStateListsPipelineRunsInThatStateOnly() {
    store.dead("prun_dead", "digest");
    store.succeeded("prun_ok", "digest");
    store.queued("prun_q", "digest", "acme");

    Result result = cli("runs", "list", "--state", "dead");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("prun_dead")
        .contains("failed at notify: http_503: hook down")
        .doesNotContain("prun_ok")
        .doesNotContain("prun_q")
        .endsWith("1 run(s)\n");
  }

  @Test
  void listWithSeveralStatesListsEach() {
    store.dead("prun_dead", "digest");
    store.succeeded("prun_ok", "digest");
    store.queued("prun_q", "digest", "acme");

    Result result = cli("runs", "list", "--state", "dead,succeeded");

    assertThat(result.out()).contains("prun_dead").contains("prun_ok").doesNotContain("prun_q");
  }

  @Test
  void listWithAPipelineNameListsThatPipelinesRunsInAnyState() {
    store.dead("prun_a", "digest");
    store.queued("prun_b", "digest", "acme");
    store.queued("prun_c", "enrich", "acme");

    Result result = cli("runs", "list", "--pipeline", "digest");

    assertThat(result.out())
        .contains("prun_a")
        .contains("prun_b")
        .doesNotContain("prun_c")
        .contains("ENQUEUED");
  }

  @Test
  void listWithPipelineAloneListsEveryPipelineRun() {
    store.queued("prun_b", "digest", "acme");
    store.queued("prun_c", "enrich", "other");

    Result result = cli("runs", "list", "--pipeline");

    assertThat(result.out()).contains("prun_b").contains("prun_c").endsWith("2 run(s)\n");
  }

  @Test
  void listFiltersPipelineRunsByTenant() {
    store.queued("prun_b", "digest", "acme");
    store.queued("prun_c", "digest", "other");

    Result result = cli("runs", "list", "--pipeline", "--tenant", "other");

    assertThat(result.out()).contains("prun_c").doesNotContain("prun_b");
  }

  @Test
  void listWithoutPipelineFiltersKeepsListingTheJournalNamingPipelineRuns() {
    store.journal("prun_a", 0, started("digest"));

    Result result = cli("runs", "list");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("STARTED").contains("prun_a").contains("pipeline:digest");
  }

  @Test
  void aStageCallsLongIdWidensTheRunColumnAndEveryOtherColumnStaysInLine() {
    store.journal("prun_short", 0, started("digest"));
    store.journal("prun_01a252b2c2c06ccbe67824/summarize/1@1", 0, started("digest"));

    List<String> lines = cli("runs", "list").out().lines().toList();

    int status = lines.getFirst().indexOf("STATUS");
    assertThat(lines.subList(1, 3))
        .allSatisfy(line -> assertThat(line.substring(status)).startsWith("running"));
    assertThat(lines.getFirst().indexOf("ERROR")).isGreaterThan(lines.getFirst().indexOf("DEPL"));
  }

  @Test
  void listWithAnUnknownStateIsAUsageErrorNamingTheStates() {
    Result result = cli("runs", "list", "--state", "dead,zombie");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            "Invalid value for option '--state' (STATE): expected queued, running, waiting, succeeded,"
                + " failed or dead (comma-separated), but was 'zombie'")
        .doesNotContain("\tat ");
  }

  @Test
  void listWithAnUnknownJournalStatusIsAUsageError() {
    Result result = cli("runs", "list", "--status", "sleeping");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .contains("expected running, succeeded, failed or dead, but was 'sleeping'");
  }

  @Test
  void listCombiningAJournalFilterWithAPipelineFilterIsAUsageError() {
    Result result = cli("runs", "list", "--state", "dead", "--model", "default");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .contains("--model filters the journal's runs; it cannot be combined with --pipeline");
  }

  @Test
  void listWithALimitOutOfRangeIsAUsageError() {
    Result result = cli("runs", "list", "--pipeline", "--limit", "0");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--limit must be between 1 and 10000, but was 0");
  }

  @Test
  void showOfAPipelineRunPrintsItsStateFailureAndStagesFromTheJournal() {
    store.dead("prun_dead", "digest");
    journalDeadRun("prun_dead");

    Result result = cli("runs", "show", "prun_dead", "--journal");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("pipeline run prun_dead  digest@0123456789ab  tenant=acme  state=dead")
        .contains("at stage 1, attempt 1")
        .contains("failed at notify: http_503: hook down")
        .contains("resume it with: ballast runs resume prun_dead")
        .contains("input:  {\"text\":\"hello\"}")
        .containsPattern("0  shape\\s+1  completed\\s+2.5 ms\\s+0")
        .containsPattern(
            "1  notify\\s+2  dead\\s+6.0 ms\\s+2  http_503: hook down; 1 effect\\(s\\) sent"
                + " again with the same key")
        .contains("RunDead          dead at notify: http_503: hook down, after 1200.0 ms")
        .contains("stage 1 notify, attempt 1: http_503: hook down (7.5 ms) -> retry at");
  }

  @Test
  void showOfAPipelineRunWithoutJournalStillShowsTheQueuesView() {
    store.queued("prun_q", "digest", "acme");

    Result result = cli("runs", "show", "prun_q");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("state=queued").contains("at stage 0, attempt 0");
  }

  @Test
  void showOfAnUnknownPipelineRunSaysSo() {
    Result result = cli("runs", "show", "prun_nope");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("no run with id 'prun_nope'");
  }

  /** Stage shape completes; notify fails twice with 503, sending its effect again, and dies. */
  private void journalDeadRun(String id) {
    store.journal(id, 0, started("digest"));
    store.journal(id, 1000, new JournalEvent.StageStarted("shape", 0, 1, "n1/0", 1, 3));
    store.journal(id, 1001, new JournalEvent.StageCompleted("shape", 0, 1, 2.5, null));
    store.journal(id, 1002, new JournalEvent.StageStarted("notify", 1, 1, "n1/0", 1, 0));
    store.journal(
        id,
        1003,
        new JournalEvent.EffectRecorded("notify", id + "/notify/hook", "http://hook", true));
    store.journal(
        id,
        1004,
        new JournalEvent.StageFailed(
            "notify",
            1,
            1,
            "http_503",
            "hook down",
            "waiting",
            QueueFixture.T0.plusSeconds(1),
            "http:hook:80",
            7.5));
    store.journal(id, 2000, new JournalEvent.StageStarted("notify", 1, 2, "n2/1", 2, 0));
    store.journal(
        id,
        2001,
        new JournalEvent.EffectRecorded("notify", id + "/notify/hook", "http://hook", false));
    store.journal(
        id,
        2002,
        new JournalEvent.StageFailed(
            "notify", 1, 2, "http_503", "hook down", "dead", null, "http:hook:80", 6.0));
    store.journal(id, 2003, new JournalEvent.RunDead("notify", "http_503", "hook down", 1200));
  }

  @Test
  void showDrawsTheExecutionTreeWithEachAttemptAndWhyItMovedOn() {
    store.dead("prun_dead", "digest");
    journalDeadRun("prun_dead");

    Result result = cli("runs", "show", "prun_dead");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("state=dead")
        // From submission to RunDead across both leases, not the last lease's 1200 ms alone.
        .contains("trace:\ninvoke_workflow digest  [dead]  2003.0 ms  run_id=prun_dead")
        .contains("├─ shape  [completed]  2.5 ms  attempts=1")
        .contains("│  └─ attempt 1  [completed]  2.5 ms  worker=n1/0  fence=1")
        .contains("└─ notify  [http_503]  13.5 ms  attempts=2")
        .contains("├─ attempt 1  [http_503]  7.5 ms  worker=n1/0")
        .contains("next=waiting")
        .contains("dependency=http:hook:80")
        .contains("└─ attempt 2  [http_503]  6.0 ms  worker=n2/1  fence=2")
        .contains("└─ effect prun_dead/notify/hook  target=http://hook  first_record=false")
        .doesNotContain("journal:");
  }

  @Test
  void diffNamesTheFirstStageWhereTwoRunsParted() {
    store.dead("prun_dead", "digest");
    journalDeadRun("prun_dead");
    store.journal("prun_ok", 0, started("digest"));
    store.journal("prun_ok", 1000, new JournalEvent.StageStarted("shape", 0, 1, "n1/0", 1, 3));
    store.journal("prun_ok", 1001, new JournalEvent.StageCompleted("shape", 0, 1, 2.0, null));
    store.journal("prun_ok", 1002, new JournalEvent.StageStarted("notify", 1, 1, "n1/0", 1, 0));
    store.journal(
        "prun_ok",
        1003,
        new JournalEvent.EffectRecorded("notify", "prun_ok/notify/hook", "http://hook", true));
    store.journal("prun_ok", 1004, new JournalEvent.StageCompleted("notify", 1, 1, 9.0, null));

    Result differ = cli("diff", "prun_ok", "prun_dead");
    Result same = cli("diff", "prun_dead", "prun_dead");
    Result unknown = cli("diff", "prun_ok", "prun_nope");

    assertThat(differ.exit()).as(differ.err()).isEqualTo(1);
    assertThat(differ.out())
        .contains("first divergence: notify status: completed -> http_503")
        .containsPattern("≠\\s+notify\\s+status\\s+completed\\s+http_503")
        .containsPattern("≠\\s+run\\s+status\\s+running\\s+dead")
        .doesNotContain("shape ");
    assertThat(same.exit()).isZero();
    assertThat(same.out()).containsPattern("identical: \\d+ fields compared, none differ");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("ballast: no run with id 'prun_nope'\n");
  }

  private static JournalEvent.RunStarted started(String pipeline) {
    return new JournalEvent.RunStarted(
        "pipeline",
        pipeline,
        "ballast",
        "acme",
        null,
        false,
        Pins.pipeline("cfg1", "0123456789ab"),
        null);
  }
}
