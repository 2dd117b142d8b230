package dev.ballast.pipeline.internal.stages;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read up to a cap: at most {@code max + 1} bytes are kept (one more than the cap,
 * so the reader can tell the body was longer), then the subscription is cancelled and the rest of
 * the body is never read. A 200 MB answer costs {@code max + 1} bytes of memory, not 200 MB.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final int keep;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private CappedBody(int max) {
    this.keep = max + 1;
  }

  static HttpResponse.BodyHandler<byte[]> handler(int max) {
    return info -> new CappedBody(max);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      int take = Math.min(buffer.remaining(), keep - kept.size());
      byte[] chunk = new byte[take];
      buffer.get(chunk);
      kept.write(chunk, 0, take);
      if (kept.size() >= keep) {
        // Enough to tell the answer is longer than the cap: stop reading it.
        result.complete(kept.toByteArray());
        subscription.cancel();
        return;
      }
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable failure) {
    result.completeExceptionally(failure);
  }

  @Override
  public void onComplete() {
    result.complete(kept.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
