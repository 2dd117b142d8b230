package dev.ballast.simulator.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.StreamSink;
import dev.ballast.simulator.Attempt;
import dev.ballast.simulator.Drift;
import dev.ballast.simulator.SimulationSpec;
import dev.ballast.simulator.internal.wire.OpenAiWire;
import dev.ballast.simulator.internal.wire.Render;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator without sockets: the same plans as the HTTP server, surfaced the way a provider
 * adapter would surface them (exceptions with an {@link ErrorClass}, repairs for drift).
 */
public final class InProcessCalls {
  public static final String API = "in-process";

  private final Planner engine;
  private final AttemptLog log;
  private final OpenAiWire openAi = new OpenAiWire();

  public InProcessCalls(Planner engine, AttemptLog log) {
    this.engine = engine;
    this.log = log;
  }

  public ChatResponse chat(ChatRequest request, CallOptions options, StreamSink sink) {
    boolean stream = sink != null;
    Waiter waiter = new Waiter(options.timeouts());
    Plan plan = begin(options, "chat", stream, waiter);
    List<Message> messages = request.messages();
    if (plan.spec().rejectPrefill()
        && !messages.isEmpty()
        && messages.getLast().role() == Role.ASSISTANT) {
      throw failure(
          PlannedFailure.invalidRequest(
              PlannedFailure.Kind.INVALID_REQUEST,
              "assistant prefill not supported: the conversation must end with a user message"));
    }
    Answer answer = AnswerFactory.answer(request, plan);
    Render render = Render.of(plan, engine.clock().instant());
    SimulationSpec spec = plan.spec();
    if (stream) {
      deliver(answer, spec, waiter, delta -> sink.onDelta(delta.withModel(render.model())));
    } else {
      waiter.beforeFirstToken(spec.firstTokenDelay(), ErrorClass.SLOW_FIRST_TOKEN, "slow body");
      if (spec.cutAfter() >= 0) {
        throw new ProviderException(
            ErrorClass.CONNECTION_RESET, "simulated cut: connection closed inside the body");
      } else if (spec.stallAfter() >= 0) {
        waiter.untilTotal("stalled body");
      }
    }
    return response(answer, render, spec, stream);
  }

  public EmbeddingResponse embed(EmbeddingRequest request, CallOptions options) {
    Plan plan = begin(options, "embed", false, new Waiter(options.timeouts()));
    List<float[]> vectors =
        request.input().stream().map(t -> Embeddings.embed(t, request.dimensions())).toList();
    int tokens = request.input().stream().mapToInt(Embeddings::tokens).sum();
    return new EmbeddingResponse(plan.model(), vectors, new Usage(tokens, 0, 0, 0, false), null);
  }

  /** Plans, records and plays everything before the first byte of a successful answer. */
  private Plan begin(CallOptions options, String operation, boolean stream, Waiter waiter) {
    Plan plan = engine.plan(options.upstreamModel());
    log.record(
        new Attempt(
            engine.clock().instant(), API, operation, plan.model(), stream, plan.logOutcome()));
    // Latency passes before the response headers: past the first-token limit that is silence.
    waiter.beforeFirstToken(plan.latency(), ErrorClass.SILENCE, "latency");
    switch (plan.outcome()) {
      case FAIL -> throw failure(plan.failure());
      case RESET ->
          throw new ProviderException(
              ErrorClass.CONNECTION_RESET, "simulated connection reset before response headers");
      case SILENCE -> waiter.beforeFirstToken(Waiter.FOREVER, ErrorClass.SILENCE, "silence");
      case ANSWER -> {
        // The caller plays the answer.
      }
    }
    return plan;
  }

  private ProviderException failure(PlannedFailure failure) {
    return new ProviderException(
        failure.errorClass(),
        failure.status(),
        OpenAiWire.errorCode(failure),
        failure.retryAfter(),
        failure.message(),
        openAi.errorBody(failure),
        null);
  }

  private static void deliver(Answer answer, SimulationSpec spec, Waiter waiter, StreamSink sink) {
    List<String> pieces = answer.pieces();
    for (int i = 0; i < pieces.size(); i++) {
      interruptAt(spec, i, waiter);
      if (i == 0) {
        waiter.beforeFirstToken(
            spec.firstTokenDelay(), ErrorClass.SLOW_FIRST_TOKEN, "slow first token");
      } else {
        waiter.betweenChunks(spec.tokenDelay(), "slow tokens");
      }
      sink.onDelta(delta(answer, i));
    }
    if (spec.errorAfter() >= pieces.size()) {
      interruptAt(spec, spec.errorAfter(), waiter);
    } else if (spec.cutAfter() >= pieces.size()) {
      interruptAt(spec, spec.cutAfter(), waiter);
    } else if (spec.stallAfter() >= pieces.size()) {
      interruptAt(spec, spec.stallAfter(), waiter);
    }
  }

  private static void interruptAt(SimulationSpec spec, int sent, Waiter waiter) {
    if (spec.errorAfter() == sent) {
      throw new ProviderException(
          ErrorClass.SERVER_ERROR,
          500,
          "server_error",
          null,
          "simulated error event in the stream after " + sent + " tokens",
          null,
          null);
    } else if (spec.cutAfter() == sent) {
      throw new ProviderException(
          ErrorClass.STREAM_TRUNCATED,
          "simulated cut: stream closed after " + sent + " tokens without its end");
    } else if (spec.stallAfter() == sent && sent == 0) {
      // Headers but never a token: the client's first-token timeout is what fires.
      waiter.beforeFirstToken(Waiter.FOREVER, ErrorClass.SLOW_FIRST_TOKEN, "stall before tokens");
    } else if (spec.stallAfter() == sent) {
      waiter.betweenChunks(Waiter.FOREVER, "stall after " + sent + " tokens");
    }
  }

  private static ChatDelta delta(Answer answer, int i) {
    String piece = answer.pieces().get(i);
    if (!answer.isToolCall()) {
      return ChatDelta.text(piece);
    }
    return new ChatDelta(
        null,
        List.of(
            new ChatDelta.ToolCallDelta(
                0, i == 0 ? answer.toolCallId() : null, i == 0 ? answer.toolName() : null, piece)));
  }

  private ChatResponse response(Answer answer, Render render, SimulationSpec spec, boolean stream) {
    Message message =
        answer.isToolCall()
            ? new Message(
                Role.ASSISTANT,
                List.of(),
                null,
                List.of(
                    new ToolCall(
                        answer.toolCallId(), answer.toolName(), answer.toolArgumentsText())),
                null)
            : Message.text(Role.ASSISTANT, answer.text());
    Usage usage =
        spec.noUsage() ? null : new Usage(answer.inputTokens(), answer.outputTokens(), 0, 0, false);
    return new ChatResponse(
        "chatcmpl-sim-" + render.id(),
        render.model(),
        render.fingerprint(),
        message,
        answer.finishReason(),
        usage,
        repairs(answer, spec, stream),
        openAi.response(answer, render));
  }

  /** The repairs an adapter would have recorded while normalizing the drifted wire answer. */
  private static List<Repair> repairs(Answer answer, SimulationSpec spec, boolean stream) {
    List<Repair> repairs = new ArrayList<>();
    if (spec.drifts(Drift.TOOL_ARGS_OBJECT) && answer.isToolCall()) {
      repairs.add(
          new Repair(
              Repair.Kind.TOOL_ARGUMENTS_OBJECT, "tool call arguments arrived as an object"));
    }
    if (spec.drifts(Drift.RENAMED_FIELDS) && !answer.isToolCall()) {
      repairs.add(new Repair(Repair.Kind.RENAMED_FIELD, "message content arrived as \"text\""));
    }
    if (stream && spec.malformedChunk()) {
      repairs.add(new Repair(Repair.Kind.MALFORMED_CHUNK_DROPPED, "one event was invalid JSON"));
    }
    if (stream && spec.noDone()) {
      repairs.add(
          new Repair(Repair.Kind.MISSING_STREAM_TERMINATOR, "the stream ended without [DONE]"));
    }
    return repairs;
  }
}
