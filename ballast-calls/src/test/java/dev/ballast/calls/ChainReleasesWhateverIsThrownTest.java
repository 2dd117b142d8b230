package dev.ballast.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.resilience.BreakerState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chain's release invariants: whatever a step throws, an {@link Error} included, every bulkhead
 * slot and breaker permit is returned and the run ends with exactly one terminal event. Each test
 * first puts deployment {@code a}'s breaker half-open with room for one probe, so a permit that was
 * not returned shows as a deployment no longer available.
 */
class ChainReleasesWhateverIsThrownTest {
  private final ChainHarness h = new ChainHarness();

  @BeforeEach
  void halfOpenBreakerWithOneProbe() {
    h.provider("a").failNext(() -> new ProviderException(ErrorClass.SERVER_ERROR, "down"));
    catchThrowable(() -> h.chain.chat(h.chat("only-a", null, "opener")));
    assertThat(h.resilience.health("a").state()).isEqualTo(BreakerState.OPEN);
    h.clock.advance(Duration.ofSeconds(2));
    assertThat(h.resilience.health("a").available()).isTrue();
  }

  @Test
  void anErrorFromTheProviderReturnsThePermitAndEndsTheRun() {
    StackOverflowError error = new StackOverflowError("provider");
    h.provider("a").errorNext(error);

    assertThatThrownBy(() -> h.chain.chat(h.chat("only-a", null, "run"))).isSameAs(error);

    assertReleased();
    assertEndedOnce("run", RunFailed.class);
  }

  @Test
  void anErrorWhileStreamingToTheClientReturnsThePermitAndEndsTheRun() {
    OutOfMemoryError error = new OutOfMemoryError("client stream");
    ClientStream failing =
        new RecordingStream() {
          @Override
          public void delta(ChatDelta delta) {
            throw error;
          }
        };

    assertThatThrownBy(() -> h.chain.chat(h.chat("only-a", failing, "run"))).isSameAs(error);

    assertReleased();
    assertEndedOnce("run", RunFailed.class);
  }

  @Test
  void anErrorEndingTheStreamEndsTheRunOnce() {
    AssertionError error = new AssertionError("complete");
    ClientStream failing =
        new RecordingStream() {
          @Override
          public void complete(ChatResponse response, double costUsd) {
            throw error;
          }
        };

    assertThatThrownBy(() -> h.chain.chat(h.chat("only-a", failing, "run"))).isSameAs(error);

    assertReleased();
    assertEndedOnce("run", RunFailed.class);
  }

  @Test
  void anErrorFromTheEmbeddingsPathEndsTheRunOnce() {
    StackOverflowError error = new StackOverflowError("embed");
    h.provider("a").errorNext(error);

    assertThatThrownBy(() -> h.chain.embed(h.embed("only-a", List.of("x"), "run"))).isSameAs(error);

    assertReleased();
    assertEndedOnce("run", RunFailed.class);
  }

  @Test
  void aBugInTheEmbeddingsPathEndsTheRunOnce() {
    // The shape of the blank-input bug: a provider that throws something that is not a provider
    // failure used to leave the embeddings run running forever.
    h.provider("a").failNext(() -> new IllegalArgumentException("text 0 is blank"));

    assertThatThrownBy(() -> h.chain.embed(h.embed("only-a", List.of(" "), "run")))
        .isInstanceOf(IllegalArgumentException.class);

    assertReleased();
    assertEndedOnce("run", RunFailed.class);
    assertThat(((RunFailed) h.events("run").getLast()).errorClass()).isEqualTo("internal_error");
  }

  @Test
  void aSelfReferencingSchemaNeitherLeaksAPermitNorLeavesTheRunRunning() throws Exception {
    // A response_format schema of {"$ref": "#"} sent the validator into endless recursion: a
    // StackOverflowError per request, and (before the chain returned permits in finally) a
    // half-open probe lost each time.
    JsonNode schema = Json.mapper().readTree("{\"$ref\":\"#\"}");
    ChatRequest request =
        new ChatRequest(
            "only-a",
            List.of(Message.text(Role.USER, "hi")),
            null,
            null,
            new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "loop", schema, false),
            null,
            null,
            null,
            null,
            false,
            null);
    h.provider("a").answering("{\"a\":1}");

    catchThrowable(() -> h.chain.chat(h.chat(request, null, "run")));

    assertReleased();
    List<JournalEvent> events = h.events("run");
    assertThat(events.getFirst()).isInstanceOf(RunStarted.class);
    assertThat(events.stream().filter(ChainReleasesWhateverIsThrownTest::terminal).count())
        .isEqualTo(1);
    assertThat(terminal(events.getLast())).isTrue();
  }

  @Test
  void anAnswerAfterTheProbeClosesTheBreaker() {
    h.chain.chat(h.chat("only-a", null, "run"));

    assertThat(h.resilience.health("a").state()).isEqualTo(BreakerState.CLOSED);
    assertEndedOnce("run", RunCompleted.class);
  }

  private void assertReleased() {
    assertThat(h.resilience.bulkhead("a").inUse()).as("bulkhead slots in use").isZero();
    assertThat(h.resilience.health("a").available())
        .as("the half-open probe's place was returned")
        .isTrue();
  }

  private void assertEndedOnce(String run, Class<? extends JournalEvent> terminal) {
    List<JournalEvent> events = h.events(run);
    assertThat(events.getFirst()).isInstanceOf(RunStarted.class);
    assertThat(events.stream().filter(e -> e instanceof RunStarted).count()).isEqualTo(1);
    assertThat(events.stream().filter(ChainReleasesWhateverIsThrownTest::terminal).count())
        .isEqualTo(1);
    assertThat(events.getLast()).isInstanceOf(terminal);
  }

  private static boolean terminal(JournalEvent e) {
    return e instanceof RunCompleted || e instanceof RunFailed;
  }

  /** A client stream that accepts everything. */
  private static class RecordingStream implements ClientStream {
    @Override
    public void delta(ChatDelta delta) {}

    @Override
    public void complete(ChatResponse response, double costUsd) {}

    @Override
    public void fail(FailureAnswer failure) {}
  }
}
