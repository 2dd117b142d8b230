package dev.ballast.gateway.internal;

import dev.ballast.core.ProviderException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalEvent.BreakerTransition;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.normalize.TokenCounter;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import java.util.List;

/** Serves an embeddings call as a journaled run, through the same resilience chain as chat. */
final class EmbeddingService {
  private final BallastConfig config;
  private final Router router;
  private final AttemptLoop loop;
  private final Admission admission;

  EmbeddingService(BallastConfig config, Router router, AttemptLoop loop, Admission admission) {
    this.config = config;
    this.router = router;
    this.loop = loop;
    this.admission = admission;
  }

  /** Who asks for embeddings, which decides admission and what the journal keeps. */
  enum Caller {
    /** A client of {@code /v1/embeddings}: admitted against the tenant's limits; vectors kept. */
    CLIENT(true, true),
    /** A pipeline stage: not admitted (its cost still counts); vectors kept for replay. */
    PIPELINE(false, true),
    /**
     * A collection's ingestion or query embedding: not admitted; vectors not journaled, since the
     * store keeps the chunks' vectors and retrievals are journaled by their results.
     */
    INDEX(false, false);

    final boolean admit;
    final boolean keepVectors;

    Caller(boolean admit, boolean keepVectors) {
      this.admit = admit;
      this.keepVectors = keepVectors;
    }
  }

  EmbeddingResponse serve(
      TenantConfig tenant,
      EmbeddingRequest request,
      Deadline deadline,
      Priority priority,
      RunRecorder run) {
    return serve(tenant, request, deadline, priority, run, Caller.CLIENT);
  }

  /**
   * @param caller who asks: the gateway's own calls (pipeline stages, indexes) skip the tenant's
   *     request and token limits, and their cost is still added to the tenant's spend
   */
  EmbeddingResponse serve(
      TenantConfig tenant,
      EmbeddingRequest request,
      Deadline deadline,
      Priority priority,
      RunRecorder run,
      Caller caller) {
    GroupConfig group =
        router.group(request.model()).orElseThrow(() -> ChatService.unknownModel(request.model()));
    long start = System.nanoTime();
    run.record(
        new RunStarted(
            "gateway",
            "embeddings",
            "openai",
            tenant.name(),
            request.model(),
            false,
            new Pins(
                config.version(),
                group.name(),
                router.route(group).stream().map(Deployment::name).toList()),
            Redactor.payload(tenant, ChatService.json(request))));
    String[] answeredBy = {null};
    double[] cost = {0};
    try {
      if (caller.admit) {
        admission.admit(tenant, request.input().stream().mapToInt(TokenCounter::count).sum());
      }
      EmbeddingResponse response =
          loop.run(
              group,
              deadline,
              priority,
              () -> true,
              (d, options) -> d.provider().embed(request, options),
              new AttemptLoop.Observer<>() {
                @Override
                public void succeeded(
                    int attempt,
                    Deployment d,
                    EmbeddingResponse r,
                    long startNanos,
                    String breaker) {
                  answeredBy[0] = d.name();
                  cost[0] = d.config().price().cost(r.usage());
                  run.record(
                      new ProviderAttempt(
                          attempt,
                          d.name(),
                          d.provider().name(),
                          d.config().model(),
                          "ok",
                          200,
                          null,
                          ChatService.millisSince(startNanos),
                          null,
                          r.usage(),
                          d.config().price().cost(r.usage()),
                          r.model(),
                          null,
                          breaker,
                          "answered",
                          List.of(),
                          null,
                          null));
                }

                @Override
                public void breakerChanged(String deployment, String from, String to) {
                  run.record(new BreakerTransition(deployment, from, to));
                }

                @Override
                public void failed(
                    int attempt,
                    Deployment d,
                    ProviderException e,
                    long startNanos,
                    String breaker,
                    String decision) {
                  run.record(
                      new ProviderAttempt(
                          attempt,
                          d.name(),
                          d.provider().name(),
                          d.config().model(),
                          e.errorClass().wireName(),
                          e.httpStatus(),
                          e.getMessage(),
                          ChatService.millisSince(startNanos),
                          null,
                          null,
                          0,
                          null,
                          null,
                          breaker,
                          decision,
                          List.of(),
                          null,
                          null));
                }
              });
      admission.settle(tenant, 0, cost[0]);
      run.record(
          new RunCompleted(
              answeredBy[0],
              response.model(),
              null,
              response.usage(),
              cost[0],
              ChatService.millisSince(start),
              // The vectors, under the tenant's capture policy like every answer: a replay of the
              // call (or of a pipeline stage that made it) is fed from here.
              caller.keepVectors ? Redactor.payload(tenant, ChatService.json(response)) : null));
      return response;
    } catch (ProviderException e) {
      ApiError error = Errors.fromProvider(e);
      run.record(
          new RunFailed(
              e.errorClass().wireName(),
              error.status(),
              e.getMessage(),
              false,
              ChatService.millisSince(start)));
      throw error;
    } catch (ApiError e) {
      run.record(
          new RunFailed(
              e.code(), e.status(), e.getMessage(), false, ChatService.millisSince(start)));
      throw e;
    } catch (RuntimeException | Error e) {
      // Whatever else went wrong, the run gets its terminal event: a journal never ends mid-air.
      run.record(
          new RunFailed(
              "internal_error", 500, String.valueOf(e), false, ChatService.millisSince(start)));
      throw e;
    }
  }
}
