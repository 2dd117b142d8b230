package dev.ballast.replay.trace;

import static dev.ballast.testkit.store.JournalFixtures.attempt;
import static dev.ballast.testkit.store.JournalFixtures.blobsOf;
import static dev.ballast.testkit.store.JournalFixtures.completed;
import static dev.ballast.testkit.store.JournalFixtures.failed;
import static dev.ballast.testkit.store.JournalFixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The execution tree of a pipeline run whose generate stage was parked after its model call and
 * then ran again under the same attempt number. Each execution's call has its own journal, named
 * with its lease ({@code RUN/STAGE/ATTEMPT@FENCE}), and hangs under its own attempt. A journal
 * written before call ids named their lease (one call id for both executions, a run that died at a
 * webhook and was resumed) still reads: the repeated call is shown and counted once, the resume is
 * a node, the totals add every provider attempt.
 */
class RunTracesTest {
  static final String RUN = "prun_trace1";
  static final String CALL = RUN + "/answer/1";
  static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @TempDir Path dir;

  @Test
  void anAttemptShowsTheChecksItFailedAndItsModelMismatch() {
    try (Store store = Stores.open("sqlite:", dir)) {
      String run = "run_checked";
      JournalEntry plain = attempt(run, 1, T0, 1);
      JournalEvent.ProviderAttempt marked =
          ((JournalEvent.ProviderAttempt) plain.event())
              .withFindings(
                  List.of(
                      new dev.ballast.core.journal.OutputCheckFailure(
                          "refusal[0]", "the answer matches the refusal pattern /no/", false)),
                  new dev.ballast.core.journal.IdentityMismatch(
                      List.of("model"),
                      "gpt-4o-2024-11-20",
                      null,
                      "gpt-4o-2024-08-06",
                      List.of(),
                      "record"));
      List<JournalEntry> entries =
          List.of(
              started(run, T0, "acme", "default"),
              new JournalEntry(run, 1, T0, marked),
              completed(run, 2, T0));
      store.journal().append(entries, blobsOf(entries));

      TraceNode attempt =
          new RunTraces(store.journal())
              .trace(run)
              .orElseThrow()
              .findAll("provider_attempt")
              .getFirst();

      assertThat(attempt.attributes().get("check_failures"))
          .isEqualTo(
              List.of("refusal[0]: the answer matches the refusal pattern /no/ (recorded only)"));
      assertThat((String) attempt.attributes().get("identity_mismatch"))
          .contains("gpt-4o-2024-11-20")
          .contains("on_mismatch: record");
    }
  }

  @Test
  void aRepeatedCallIsShownOnceAndTheResumeIsANode() {
    try (Store store = Stores.open("sqlite:", dir)) {
      List<JournalEntry> entries = new ArrayList<>();
      entries.add(
          new JournalEntry(
              RUN,
              0,
              T0,
              new JournalEvent.RunStarted(
                  "pipeline",
                  "ask",
                  "ballast",
                  "acme",
                  null,
                  false,
                  Pins.pipeline("cfg", "0123456789ab"),
                  null)));
      // Lease 1: the call is made, then the stage parks on its dependency.
      entries.add(at(1000, new JournalEvent.StageStarted("answer", 0, 1, "n1/0", 1, 12.5)));
      entries.add(
          at(
              1001,
              new JournalEvent.StageFailed(
                  "answer", 0, 1, "overloaded", "busy", "parked", null, "model:default", 5)));
      // Lease 2: the same attempt number again; in this older journal the call id (and so the
      // call's journal) is the same as lease 1's.
      entries.add(at(2000, new JournalEvent.StageStarted("answer", 0, 1, "n2/0", 2, 300)));
      entries.add(
          at(
              2001,
              new JournalEvent.StageCompleted(
                  "answer",
                  0,
                  1,
                  40,
                  Payload.of("{\"text\":\"hi\",\"call_run_id\":\"" + CALL + "\"}"))));
      entries.add(at(2002, new JournalEvent.StageStarted("notify", 1, 1, "n2/0", 2, 0)));
      entries.add(
          at(
              2003,
              new JournalEvent.StageFailed(
                  "notify", 1, 1, "http_503", "hook down", "dead", null, "http:hook:80", 7)));
      entries.add(at(2004, new JournalEvent.RunDead("notify", "http_503", "hook down", 90)));
      entries.add(at(2999, new JournalEvent.RunResumed("notify", 1)));
      entries.add(at(3000, new JournalEvent.StageStarted("notify", 1, 1, "n1/0", 3, 2)));
      entries.add(at(3001, new JournalEvent.StageCompleted("notify", 1, 1, 9, null)));
      entries.add(
          at(3002, new JournalEvent.RunCompleted(null, null, null, Usage.ZERO, 0, 120, null)));
      // The call's journal: two executions under one id, one attempt each.
      entries.add(started(CALL, T0, "acme", "default"));
      entries.add(attempt(CALL, 1, T0, 1));
      entries.add(completed(CALL, 2, T0));
      entries.add(started(CALL, T0.plusSeconds(1), "acme", "default"));
      entries.add(attempt(CALL, 4, T0.plusSeconds(1), 1));
      entries.add(completed(CALL, 5, T0.plusSeconds(1)));
      Map<String, byte[]> blobs = new HashMap<>();
      for (JournalEntry e : entries) {
        for (Payload p : e.event().payloads()) {
          blobs.put(p.hash(), p.bytes());
        }
      }
      store.journal().append(entries, blobs);

      TraceNode root = new RunTraces(store.journal()).trace(RUN).orElseThrow();

      assertThat(root.status()).isEqualTo("succeeded");
      assertThat(root.findAll("call")).hasSize(1);
      assertThat(root.findAll("provider_attempt")).hasSize(2);
      assertThat(root.attributes().get("provider_attempts")).isEqualTo(2);
      assertThat(root.attributes().get("output_tokens")).isEqualTo(40);
      TraceNode answer =
          root.children().stream().filter(c -> c.name().equals("answer")).findFirst().orElseThrow();
      assertThat(answer.children())
          .extracting(TraceNode::status)
          .containsExactly("overloaded", "completed");
      assertThat(answer.children().get(0).attributes()).containsEntry("next", "parked");
      assertThat(answer.children().get(1).attributes()).containsEntry("queue_wait_ms", 300.0);
      assertThat(answer.children().get(0).children())
          .extracting(TraceNode::kind)
          .containsExactly("call");
      assertThat(root.findAll("resume"))
          .singleElement()
          .satisfies(r -> assertThat(r.name()).isEqualTo("resumed at notify"));
      TraceNode notify =
          root.children().stream().filter(c -> c.name().equals("notify")).findFirst().orElseThrow();
      assertThat(notify.attributes()).containsEntry("attempts", 2);
    }
  }

  @Test
  void eachExecutionOfAnAttemptShowsItsOwnCallUnderItsOwnAttempt() {
    String parkedCall = RUN + "/answer/1@1";
    String finalCall = RUN + "/answer/1@2";
    try (Store store = Stores.open("sqlite:", dir)) {
      List<JournalEntry> entries = new ArrayList<>();
      entries.add(
          new JournalEntry(
              RUN,
              0,
              T0,
              new JournalEvent.RunStarted(
                  "pipeline",
                  "ask",
                  "ballast",
                  "acme",
                  null,
                  false,
                  Pins.pipeline("cfg", "0123456789ab"),
                  null)));
      // Lease 1: the call fails, the stage parks on its dependency (no output names the call).
      entries.add(at(1000, new JournalEvent.StageStarted("answer", 0, 1, "n1/0", 1, 0)));
      entries.add(
          at(
              1001,
              new JournalEvent.StageFailed(
                  "answer", 0, 1, "overloaded", "busy", "parked", null, "model:default", 5)));
      // Lease 2: attempt 1 again, a new call, the stage completes.
      entries.add(at(2000, new JournalEvent.StageStarted("answer", 0, 1, "n2/0", 2, 300)));
      entries.add(
          at(
              2001,
              new JournalEvent.StageCompleted(
                  "answer",
                  0,
                  1,
                  40,
                  Payload.of("{\"text\":\"hi\",\"call_run_id\":\"" + finalCall + "\"}"))));
      entries.add(
          at(2002, new JournalEvent.RunCompleted(null, null, null, Usage.ZERO, 0, 120, null)));
      entries.add(started(parkedCall, T0, "acme", "default"));
      entries.add(attempt(parkedCall, 1, T0, 1));
      entries.add(failed(parkedCall, 2, T0, "overloaded"));
      entries.add(started(finalCall, T0.plusSeconds(1), "acme", "default"));
      entries.add(attempt(finalCall, 1, T0.plusSeconds(1), 1));
      entries.add(completed(finalCall, 2, T0.plusSeconds(1)));
      store.journal().append(entries, blobsOf(entries));

      TraceNode root = new RunTraces(store.journal()).trace(RUN).orElseThrow();

      TraceNode answer =
          root.children().stream().filter(c -> c.name().equals("answer")).findFirst().orElseThrow();
      assertThat(answer.children()).hasSize(2);
      assertThat(answer.children().get(0).findAll("call"))
          .extracting(c -> c.attributes().get("run_id"))
          .containsExactly(parkedCall);
      assertThat(answer.children().get(1).findAll("call"))
          .extracting(c -> c.attributes().get("run_id"))
          .containsExactly(finalCall);
      assertThat(root.findAll("call")).hasSize(2);
      assertThat(root.attributes().get("provider_attempts")).isEqualTo(2);
    }
  }

  /**
   * Regression: a resumed run's tree kept the dead run's status and error at its root, and its
   * duration was the last lease's alone, leaving out the time before and after the resume.
   */
  @Test
  void aResumedRunIsNoLongerDeadAndItsDurationRunsToItsEnd() {
    try (Store store = Stores.open("sqlite:", dir)) {
      List<JournalEntry> dead = new ArrayList<>();
      dead.add(
          new JournalEntry(
              RUN,
              0,
              T0,
              new JournalEvent.RunStarted(
                  "pipeline", "ask", "ballast", "acme", null, false, null, null)));
      dead.add(at(1000, new JournalEvent.StageStarted("notify", 0, 1, "n1/0", 1, 0)));
      dead.add(
          at(
              1001,
              new JournalEvent.StageFailed(
                  "notify", 0, 1, "http_503", "hook down", "dead", null, null, 7)));
      dead.add(at(1002, new JournalEvent.RunDead("notify", "http_503", "hook down", 9)));
      dead.add(at(1999, new JournalEvent.RunResumed("notify", 0)));
      store.journal().append(dead, blobsOf(dead));

      TraceNode resumed = new RunTraces(store.journal()).trace(RUN).orElseThrow();

      assertThat(resumed.status()).isEqualTo("running");
      assertThat(resumed.durationMs()).isNull();
      assertThat(resumed.attributes()).doesNotContainKeys("error", "dead_stage", "error_class");
      assertThat(resumed.findAll("resume"))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r.attributes())
                      .containsEntry("dead_stage", "notify")
                      .containsEntry("error_class", "http_503")
                      .containsEntry("error", "hook down"));

      List<JournalEntry> rest = new ArrayList<>();
      rest.add(at(2000, new JournalEvent.StageStarted("notify", 0, 1, "n2/0", 2, 1)));
      rest.add(at(2001, new JournalEvent.StageCompleted("notify", 0, 1, 3, null)));
      rest.add(at(2002, new JournalEvent.RunCompleted(null, null, null, Usage.ZERO, 0, 4, null)));
      store.journal().append(rest, blobsOf(rest));

      TraceNode done = new RunTraces(store.journal()).trace(RUN).orElseThrow();

      assertThat(done.status()).isEqualTo("succeeded");
      assertThat(done.attributes()).doesNotContainKeys("error", "dead_stage", "error_class");
      assertThat(done.durationMs())
          .as("from submission to the end, resume included")
          .isEqualTo(2002);
    }
  }

  private static JournalEntry at(int seq, JournalEvent event) {
    return new JournalEntry(RUN, seq, T0.plusMillis(seq), event);
  }
}
