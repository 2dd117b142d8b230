package dev.ballast.gateway.internal;

import dev.ballast.core.FailureClassification;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.spi.CallOptions;
import java.util.List;

/** Serves an embeddings call as a journaled run, with the same routing as chat. */
final class EmbeddingService {
  private final BallastConfig config;
  private final Router router;

  EmbeddingService(BallastConfig config, Router router) {
    this.config = config;
    this.router = router;
  }

  EmbeddingResponse serve(TenantConfig tenant, EmbeddingRequest request, RunRecorder run) {
    GroupConfig group =
        router.group(request.model()).orElseThrow(() -> ChatService.unknownModel(request.model()));
    List<Deployment> route = router.route(group);
    long start = System.nanoTime();
    run.record(
        new RunStarted(
            "gateway",
            "embeddings",
            "openai",
            tenant.name(),
            request.model(),
            false,
            new Pins(config.version(), group.name(), route.stream().map(Deployment::name).toList()),
            Redactor.payload(tenant, ChatService.json(request))));
    ProviderException last = null;
    for (int i = 0; i < route.size(); i++) {
      Deployment d = route.get(i);
      long attemptStart = System.nanoTime();
      try {
        EmbeddingResponse response =
            d.provider().embed(request, new CallOptions(d.config().model(), d.config().timeouts()));
        double cost = d.config().price().cost(response.usage());
        run.record(
            new ProviderAttempt(
                i + 1,
                d.name(),
                d.provider().name(),
                d.config().model(),
                "ok",
                200,
                null,
                millis(attemptStart),
                null,
                response.usage(),
                cost,
                response.model(),
                null,
                null,
                "answered",
                List.of(),
                null,
                null));
        run.record(
            new RunCompleted(
                d.name(), response.model(), null, response.usage(), cost, millis(start), null));
        return response;
      } catch (ProviderException e) {
        last = e;
        boolean more =
            i + 1 < route.size()
                && FailureClassification.of(e.errorClass()).failover()
                    == FailureClassification.Failover.ANY;
        run.record(
            new ProviderAttempt(
                i + 1,
                d.name(),
                d.provider().name(),
                d.config().model(),
                e.errorClass().wireName(),
                e.httpStatus(),
                e.getMessage(),
                millis(attemptStart),
                null,
                null,
                0,
                null,
                null,
                null,
                more ? "failover" : "gave_up",
                List.of(),
                null,
                null));
        if (!more) {
          break;
        }
      }
    }
    ApiError error = Errors.fromProvider(last);
    run.record(
        new RunFailed(
            last.errorClass().wireName(), error.status(), last.getMessage(), false, millis(start)));
    throw error;
  }

  private static double millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
