package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.Admission;
import dev.ballast.calls.CallFailures;
import dev.ballast.calls.CallRefusedException;
import dev.ballast.calls.ChatCall;
import dev.ballast.calls.ClientStream;
import dev.ballast.calls.Deployment;
import dev.ballast.calls.FailureAnswer;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Origin;
import dev.ballast.calls.Resilience;
import dev.ballast.calls.Router;
import dev.ballast.calls.RunRecorder;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ContinuationMode;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.spi.Store;
import dev.ballast.pipeline.NetworkForbiddenException;
import dev.ballast.replay.Replayer;
import dev.ballast.replay.spi.GatewayCalls;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The gateway's side of replay. A replayed call runs through a {@link ModelCallChain} built for it
 * alone, with fresh breakers and budgets and with every deployment's provider replaced by a {@link
 * RecordedProvider}: the replay builds its providers from the recording, so there is nothing in it
 * that could reach the network. A what-if call goes through the node's own live services instead.
 * Thread-safe.
 */
public final class ReplayGateway implements GatewayCalls {
  private static final Duration CALL_DEADLINE = Duration.ofMinutes(2);

  // The configuration running now: a run recorded after a reload names its deployments and tenant.
  private final Supplier<BallastConfig> config;
  private final ModelCallChain live;
  private final JournalWriter journal;
  private final Clock clock;

  ReplayGateway(
      Supplier<BallastConfig> config, ModelCallChain live, JournalWriter journal, Clock clock) {
    this.config = config;
    this.live = live;
    this.journal = journal;
    this.clock = clock;
  }

  @Override
  public CallOutcome replayChat(
      String tenant,
      ChatRequest request,
      List<ProviderAttempt> recorded,
      Function<String, byte[]> blobs) {
    BallastConfig config = this.config.get();
    Deque<ProviderAttempt> queue = new ArrayDeque<>(recorded);
    Map<String, Deployment> deployments = new HashMap<>();
    for (DeploymentConfig d : config.deployments().values()) {
      deployments.put(
          d.name(), new Deployment(d, new RecordedProvider(d.name(), d.provider(), queue, blobs)));
    }
    Router router = new Router(config, deployments);
    // Nothing a recorded provider answers is spent again: no limit applies, nothing is counted.
    Resilience resilience = new Resilience(config, clock);
    learnedPrefillRejections(config, recorded, resilience);
    ModelCallChain chat = new ModelCallChain(config, router, resilience, Admission.NONE);
    return serve(chat, tenant, request, "replay", null, 0, request.stream() ? DISCARD : null);
  }

  /**
   * A deployment configured for prefill whose first continuation in the recording was asked by
   * instruction had learned, on the node, that it rejects a prefill: the replay starts from the
   * same knowledge, so it asks the same way.
   */
  private static void learnedPrefillRejections(
      BallastConfig config, List<ProviderAttempt> recorded, Resilience resilience) {
    Set<String> seen = new HashSet<>();
    for (ProviderAttempt a : recorded) {
      if (a.continuation() == null || !seen.add(a.deployment())) {
        continue;
      }
      DeploymentConfig d = config.deployments().get(a.deployment());
      if (d != null
          && d.continuation() == ContinuationMode.PREFILL
          && ContinuationMode.INSTRUCTION.wireName().equals(a.continuation().form())) {
        resilience.prefillRejected(a.deployment());
      }
    }
  }

  /**
   * Where a replayed stream goes: nowhere. A streamed call is replayed streamed, so that the chain
   * decides on what reached the client (continue, or give up after the first token) as it did.
   */
  private static final ClientStream DISCARD =
      new ClientStream() {
        @Override
        public void delta(ChatDelta delta) {}

        @Override
        public void complete(ChatResponse response, double costUsd) {}

        @Override
        public void fail(FailureAnswer failure) {}
      };

  @Override
  public CallOutcome liveChat(String tenant, ChatRequest request, String runId, int firstSeq) {
    return serve(live, tenant, request, runId, journal::submit, firstSeq, null);
  }

  private CallOutcome serve(
      ModelCallChain chat,
      String tenant,
      ChatRequest request,
      String runId,
      Consumer<JournalEntry> also) {
    return serve(chat, tenant, request, runId, also, 0, null);
  }

  private CallOutcome serve(
      ModelCallChain chat,
      String tenant,
      ChatRequest request,
      String runId,
      Consumer<JournalEntry> also,
      int firstSeq,
      ClientStream stream) {
    TenantConfig t = config.get().tenants().get(tenant);
    if (t == null) {
      return new CallOutcome(
          null, List.of(), null, null, "bad_request", "tenant " + tenant + " is not configured");
    }
    List<JournalEvent> events = new ArrayList<>();
    Consumer<JournalEntry> sink =
        entry -> {
          events.add(entry.event());
          if (also != null) {
            also.accept(entry);
          }
        };
    String error = null;
    String message = null;
    ChatResponse response = null;
    try {
      response =
          chat.chat(
              new ChatCall(
                  t,
                  "replay",
                  request,
                  stream,
                  Deadline.after(CALL_DEADLINE, clock),
                  Priority.BATCH,
                  Origin.REPLAY,
                  new RunRecorder(sink, clock, runId, firstSeq)));
    } catch (NetworkForbiddenException e) {
      error = "network_forbidden";
      message = e.getMessage();
    } catch (ProviderException e) {
      error = e.errorClass().wireName();
      message = e.getMessage();
    } catch (CallRefusedException e) {
      error = CallFailures.answer(e).orElseThrow().code();
      message = e.getMessage();
    }
    return outcome(events, response, error, message);
  }

  private static CallOutcome outcome(
      List<JournalEvent> events, ChatResponse response, String error, String message) {
    String requestHash = null;
    String responseHash = null;
    List<ProviderAttempt> attempts = new ArrayList<>();
    for (JournalEvent e : events) {
      switch (e) {
        case JournalEvent.RunStarted s ->
            requestHash = s.request() == null ? null : s.request().hash();
        case ProviderAttempt a -> attempts.add(a);
        case JournalEvent.RunCompleted c ->
            responseHash = c.response() == null ? null : c.response().hash();
        case JournalEvent.RunFailed f -> error = error == null ? f.errorClass() : error;
        default -> {}
      }
    }
    return new CallOutcome(requestHash, attempts, responseHash, response, error, message);
  }

  /**
   * The replayer of a node: this configuration's pipelines, prompts and groups, live calls via
   * {@code chat}. Recorded calls are replayed on the deployments and tenants of the configuration
   * running now ({@code live}); the pipelines, prompts and group names are the start's.
   */
  public static Replayer replayer(
      BallastConfig config,
      Supplier<BallastConfig> live,
      Store store,
      JournalWriter journal,
      ModelCallChain chain,
      Clock clock) {
    Map<String, Pipeline> pipelines =
        config.pipelines().values().stream()
            .map(Pipeline::of)
            .collect(Collectors.toMap(p -> p.definition().name(), Function.identity()));
    return new Replayer(
        store.journal(),
        pipelines,
        config.prompts(),
        config.groups().values().stream().map(GroupConfig::name).collect(Collectors.toSet()),
        new ReplayGateway(live, chain, journal, clock),
        journal,
        clock,
        store.memory(),
        new TokenBudgetPacker(config));
  }
}
