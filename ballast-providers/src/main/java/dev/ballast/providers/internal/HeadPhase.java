package dev.ballast.providers.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A WebClient exchange up to its response headers, abortable by the attempt's deadline. The
 * WebClient offers nothing to abort a request that has no response yet, but a virtual thread
 * blocked in a socket operation is woken by an interrupt, which also closes the socket: the
 * deadline interrupts the thread, and only while it is inside the exchange, so that no interrupt
 * leaks to the caller. A platform thread's socket reads ignore interrupts, so a platform caller
 * runs this phase on a virtual thread and waits for it.
 */
final class HeadPhase {
  private final Thread thread;
  private boolean active = true;
  private boolean interrupted;

  private HeadPhase(Thread thread) {
    this.thread = thread;
  }

  /**
   * Sends the request and returns the response once its headers arrived.
   *
   * @throws ProviderException classified, when no response headers arrived
   */
  static Http1ClientResponse submit(Http1ClientRequest request, byte[] body, AttemptGuard guard) {
    if (Thread.currentThread().isVirtual()) {
      return submitHere(request, body, guard);
    }
    CompletableFuture<Http1ClientResponse> result = new CompletableFuture<>();
    Thread helper =
        Thread.ofVirtual()
            .name("ballast-webclient")
            .start(
                () -> {
                  try {
                    result.complete(submitHere(request, body, guard));
                  } catch (Throwable t) {
                    result.completeExceptionally(t);
                  }
                });
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (InterruptedException e) {
      helper.interrupt();
      // A response that arrives after the caller gave up must still release its connection.
      result.thenAccept(Http1ClientResponse::close);
      guard.close();
      Thread.currentThread().interrupt();
      throw new ProviderException(ErrorClass.DEADLINE_EXCEEDED, "interrupted while waiting", e);
    }
  }

  private static Http1ClientResponse submitHere(
      Http1ClientRequest request, byte[] body, AttemptGuard guard) {
    HeadPhase phase = new HeadPhase(Thread.currentThread());
    guard.onExpiry(phase::abort);
    try {
      return request.submit(body);
    } catch (RuntimeException e) {
      phase.end();
      guard.close();
      throw guard.isExpired() ? guard.failure() : WebClientTransport.sendFailure(e);
    } finally {
      phase.end();
    }
  }

  private synchronized void abort() {
    if (active) {
      interrupted = true;
      thread.interrupt();
    }
  }

  /** Leaves the exchange; an interrupt sent for it is not left to the caller. */
  private synchronized void end() {
    if (active) {
      active = false;
      if (interrupted) {
        Thread.interrupted();
      }
    }
  }
}
