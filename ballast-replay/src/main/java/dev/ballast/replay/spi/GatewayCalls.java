package dev.ballast.replay.spi;

import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import java.util.List;
import java.util.function.Function;

/**
 * How a replay reaches the gateway's attempt loop. The gateway implements it; a replay without it
 * (the replay module alone, a benchmark of journal decoding) feeds each call's recorded answer back
 * without re-running the resilience chain.
 */
public interface GatewayCalls {

  /**
   * Re-runs a recorded chat call through the real attempt loop (routing, breakers, budgets,
   * classification, retry and failover decisions), with every deployment's provider answering from
   * {@code recorded} in order. Nothing reaches the network: an attempt beyond the recording throws
   * {@link dev.ballast.pipeline.NetworkForbiddenException} inside the loop, which the outcome
   * reports.
   *
   * @param blobs the recorded payloads' content by hash
   */
  CallOutcome replayChat(
      String tenant,
      ChatRequest request,
      List<ProviderAttempt> recorded,
      Function<String, byte[]> blobs);

  /**
   * A live chat call for a what-if, journaled as the gateway run {@code runId} (so a diff can read
   * its attempts, tokens and cost) from sequence number {@code firstSeq} on.
   */
  CallOutcome liveChat(String tenant, ChatRequest request, String runId, int firstSeq);

  /**
   * What a call did.
   *
   * @param requestHash hash of the request as the gateway journals it ({@code RunStarted.request})
   * @param attempts the attempts as the gateway journals them
   * @param responseHash hash of the answer as journaled ({@code RunCompleted.response}), or null
   * @param response the answer, or null when the call failed
   * @param errorClass the failure's class as journaled in {@code RunFailed}, or null
   */
  record CallOutcome(
      String requestHash,
      List<ProviderAttempt> attempts,
      String responseHash,
      ChatResponse response,
      String errorClass,
      String message) {
    public CallOutcome {
      attempts = List.copyOf(attempts);
    }
  }
}
