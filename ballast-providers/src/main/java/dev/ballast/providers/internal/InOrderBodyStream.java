package dev.ballast.providers.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body as an {@link InputStream} that hands out every byte received before it reports
 * the failure that ended the body. The JDK's {@code BodyHandlers.ofInputStream()} throws as soon as
 * the connection fails and discards buffers that arrived but were not read yet, so a stream cut
 * after a few tokens could lose those tokens depending on thread timing.
 *
 * <p>One reader thread; {@link #close()} may be called from any thread and wakes a blocked read.
 */
final class InOrderBodyStream extends InputStream
    implements HttpResponse.BodySubscriber<InputStream> {
  private static final Object END = new Object();
  private static final Object CLOSED = new Object();

  // Lists of buffers, then END or a Throwable; CLOSED when closed locally.
  private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
  private final Deque<ByteBuffer> pending = new ArrayDeque<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private IOException failure;
  private boolean ended;

  static HttpResponse.BodyHandler<InputStream> handler() {
    return info -> new InOrderBodyStream();
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedStage(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription newSubscription) {
    subscription = newSubscription;
    if (closed) {
      newSubscription.cancel();
    } else {
      newSubscription.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    signals.add(buffers);
  }

  @Override
  public void onError(Throwable error) {
    signals.add(error);
  }

  @Override
  public void onComplete() {
    signals.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    ByteBuffer current = next();
    if (current == null) {
      return -1;
    }
    int n = Math.min(length, current.remaining());
    current.get(buffer, offset, n);
    return n;
  }

  /** The buffer to read from, waiting for one; null at the end of the body. */
  private ByteBuffer next() throws IOException {
    while (pending.isEmpty() || !pending.peekFirst().hasRemaining()) {
      pending.pollFirst();
      if (!pending.isEmpty()) {
        continue;
      }
      if (closed) {
        throw new IOException("closed");
      }
      if (failure != null) {
        throw failure;
      }
      if (ended) {
        return null;
      }
      accept(take());
    }
    return pending.peekFirst();
  }

  @SuppressWarnings("unchecked")
  private void accept(Object signal) throws IOException {
    if (signal == END) {
      ended = true;
    } else if (signal == CLOSED) {
      throw new IOException("closed");
    } else if (signal instanceof Throwable error) {
      failure = error instanceof IOException io ? io : new IOException(error);
    } else {
      pending.addAll((List<ByteBuffer>) signal);
      subscription.request(1);
    }
  }

  private Object take() throws IOException {
    try {
      return signals.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the response body");
    }
  }

  /** Cancels the body, which closes its connection, and wakes a read blocked on it. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
    signals.add(CLOSED);
  }
}
