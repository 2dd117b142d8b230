package dev.ballast.simulator;

import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.StreamSink;
import dev.ballast.simulator.internal.InProcessCalls;
import java.util.Objects;

/**
 * The simulator as an in-process {@link Provider}, without sockets: the gateway's offline default
 * model. The behaviour comes from {@link CallOptions#upstreamModel()} (a spec or profile name, see
 * {@link SimulationSpec}); every call is recorded in the simulator's attempt log with api {@code
 * in-process}.
 *
 * <p>Faults surface as {@link dev.ballast.core.ProviderException}s classified as an adapter would:
 * 429 is {@code RATE_LIMITED} (with Retry-After), 5xx {@code SERVER_ERROR}, reset {@code
 * CONNECTION_RESET}, silence or latency beyond the first-token timeout {@code SILENCE}, a slow
 * first token {@code SLOW_FIRST_TOKEN}, a stall or token delay beyond the idle timeout {@code
 * STREAM_STALL}, a cut stream {@code STREAM_TRUNCATED} (after delivering the tokens before the
 * cut), anything beyond the total timeout {@code TIMEOUT}. Waits are real time, bounded by the
 * call's timeouts and interruptible (an interrupt ends the call with {@code DEADLINE_EXCEEDED}).
 * Drift yields the normalized response with the {@link dev.ballast.core.model.Repair}s an adapter
 * would record; fenced JSON is left in the text. Thread-safe.
 */
public final class SimulatorProvider implements Provider {
  private final String name;
  private final InProcessCalls calls;

  SimulatorProvider(String name, InProcessCalls calls) {
    this.name = Objects.requireNonNull(name, "name");
    this.calls = calls;
  }

  @Override
  public String name() {
    return name;
  }

  /** Always {@code simulator}. */
  @Override
  public String system() {
    return "simulator";
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    return calls.chat(request, options, null);
  }

  @Override
  public ChatResponse chatStream(ChatRequest request, CallOptions options, StreamSink sink) {
    return calls.chat(request, options, Objects.requireNonNull(sink, "sink"));
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallOptions options) {
    return calls.embed(request, options);
  }
}
