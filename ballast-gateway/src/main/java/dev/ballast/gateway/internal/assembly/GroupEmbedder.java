package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.CallFailures;
import dev.ballast.calls.CallRefusedException;
import dev.ballast.calls.EmbedCall;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Origin;
import dev.ballast.calls.RunRecorder;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A collection's embedder when a model group embeds it: every call goes through the gateway's
 * routing, breakers, retries and journal like any other embeddings request, as the given tenant.
 * Its dimension is learned from the first vector the group returns.
 */
final class GroupEmbedder implements TextEmbedder {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final String group;
  private final String model;
  private final ModelCallChain chain;
  private final TenantConfig tenant;
  private final JournalWriter journal;
  private final Clock clock;
  private volatile int dimension;

  GroupEmbedder(
      String group,
      String model,
      ModelCallChain chain,
      TenantConfig tenant,
      JournalWriter journal,
      Clock clock) {
    this.group = group;
    this.model = model;
    this.chain = chain;
    this.tenant = tenant;
    this.journal = journal;
    this.clock = clock;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public int dimension() {
    if (dimension == 0) {
      dimension = embed(List.of("dimension probe")).getFirst().length;
    }
    return dimension;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    RunRecorder run = new RunRecorder(journal, clock, RunRecorder.newRunId(clock));
    try {
      EmbeddingResponse response =
          chain.embed(
              new EmbedCall(
                  tenant,
                  new EmbeddingRequest(group, texts, null),
                  Deadline.after(TIMEOUT, clock),
                  Priority.BATCH,
                  Origin.INDEX,
                  run));
      if (!response.vectors().isEmpty()) {
        dimension = response.vectors().getFirst().length;
      }
      return response.vectors();
    } catch (CallRefusedException e) {
      throw CallFailures.asProviderFailure(e);
    }
  }
}
