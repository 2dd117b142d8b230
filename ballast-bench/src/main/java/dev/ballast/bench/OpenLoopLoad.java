package dev.ballast.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends one POST at fixed intervals, each from its own virtual thread, without waiting for earlier
 * answers (an open-loop load): a slow server cannot slow the arrival rate down, so the numbers show
 * what clients arriving at that rate would see. Latency is measured from a request's scheduled send
 * time, not from when it actually left, so a late sender does not hide queueing (no coordinated
 * omission).
 *
 * <p>Not thread-safe: one {@link #run} at a time.
 */
final class OpenLoopLoad {
  /** The status recorded for a request that got no HTTP answer within the client timeout. */
  static final int TIMED_OUT = -1;

  /** The status recorded for a request that failed at the connection level. */
  static final int IO_ERROR = -2;

  private final HttpClient http;
  private final Duration requestTimeout;

  OpenLoopLoad(HttpClient http, Duration requestTimeout) {
    this.http = http;
    this.requestTimeout = requestTimeout;
  }

  /** What every request of one run got, in schedule order. */
  record Samples(int[] statuses, long[] latencyNanos, long maxSendLagNanos, int unfinished) {
    int requests() {
      return statuses.length;
    }
  }

  /**
   * Sends {@code rate × duration} requests at {@code rate} per second and waits (at most the client
   * timeout plus a margin) for the last answers.
   */
  Samples run(URI uri, String authorization, String body, int rate, Duration duration)
      throws InterruptedException {
    int total = (int) Math.max(1, rate * duration.toMillis() / 1000);
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    int[] statuses = new int[total];
    long[] latencies = new long[total];
    CountDownLatch done = new CountDownLatch(total);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("content-type", "application/json")
            .header("authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long start = System.nanoTime();
    long maxLag = 0;
    for (int i = 0; i < total; i++) {
      long scheduled = start + i * interval;
      long wait;
      while ((wait = scheduled - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      maxLag = Math.max(maxLag, -wait);
      int slot = i;
      Thread.ofVirtual()
          .start(
              () -> {
                statuses[slot] = send(request);
                latencies[slot] = System.nanoTime() - scheduled;
                done.countDown();
              });
    }
    boolean finished = done.await(requestTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    // The latch orders every finished sender's writes before this read; unfinished ones stay 0.
    int unfinished = finished ? 0 : (int) done.getCount();
    return new Samples(statuses, latencies, maxLag, unfinished);
  }

  private int send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (HttpTimeoutException e) {
      return TIMED_OUT;
    } catch (IOException e) {
      return IO_ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return IO_ERROR;
    }
  }
}
