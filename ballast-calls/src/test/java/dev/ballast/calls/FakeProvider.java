package dev.ballast.calls;

import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.StreamSink;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * A provider in the test's hands: each call plays the next scripted behaviour (answer a text, throw
 * something), and answers {@code text} once the script is used up. No sockets.
 */
final class FakeProvider implements Provider {
  private final Deque<Supplier<RuntimeException>> failures = new ArrayDeque<>();
  private final Deque<Error> errors = new ArrayDeque<>();
  private volatile String text = "hello";
  private volatile int calls;

  /** The next call throws what {@code failure} makes. */
  FakeProvider failNext(Supplier<RuntimeException> failure) {
    failures.add(failure);
    return this;
  }

  /** The next call throws {@code error}. */
  FakeProvider errorNext(Error error) {
    errors.add(error);
    return this;
  }

  FakeProvider answering(String answer) {
    this.text = answer;
    return this;
  }

  int calls() {
    return calls;
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public String system() {
    return "fake";
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    play();
    return answer();
  }

  @Override
  public ChatResponse chatStream(ChatRequest request, CallOptions options, StreamSink sink) {
    play();
    sink.onDelta(ChatDelta.text(text));
    return answer();
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallOptions options) {
    play();
    return new EmbeddingResponse(
        "fake-embed",
        request.input().stream().map(t -> new float[] {1, 0}).toList(),
        new Usage(1, 0, 0, 0, false),
        null);
  }

  private void play() {
    calls++;
    Error error = errors.poll();
    if (error != null) {
      throw error;
    }
    Supplier<RuntimeException> failure = failures.poll();
    if (failure != null) {
      throw failure.get();
    }
  }

  private ChatResponse answer() {
    return new ChatResponse(
        "id-1",
        "fake-model",
        null,
        Message.text(Role.ASSISTANT, text),
        FinishReason.STOP,
        new Usage(3, 2, 0, 0, false),
        List.of(),
        "{}");
  }
}
