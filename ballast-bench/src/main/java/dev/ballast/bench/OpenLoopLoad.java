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

  /** The gateway's answer header naming the journal run of a request. */
  static final String RUN_ID_HEADER = "x-ballast-run-id";

  /**
   * What every request of one run got, in schedule order.
   *
   * @param runIds the run each answer named in {@value #RUN_ID_HEADER}, null without one
   * @param bodies each answer's body when bodies were kept, else null; null for a request without
   *     an answer
   */
  record Samples(
      int[] statuses,
      long[] latencyNanos,
      long maxSendLagNanos,
      int unfinished,
      String[] runIds,
      String[] bodies) {
    Samples(int[] statuses, long[] latencyNanos, long maxSendLagNanos, int unfinished) {
      this(statuses, latencyNanos, maxSendLagNanos, unfinished, new String[statuses.length], null);
    }

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
    return run(uri, authorization, body, rate, duration, false);
  }

  /**
   * As {@link #run(URI, String, String, int, Duration)}; with {@code keepBodies} every answer's
   * body is read whole and kept (a stream's latency then counts to its last byte).
   */
  Samples run(
      URI uri, String authorization, String body, int rate, Duration duration, boolean keepBodies)
      throws InterruptedException {
    int total = (int) Math.max(1, rate * duration.toMillis() / 1000);
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    int[] statuses = new int[total];
    long[] latencies = new long[total];
    String[] runIds = new String[total];
    String[] bodies = keepBodies ? new String[total] : null;
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
                Answer answer = send(request, keepBodies);
                latencies[slot] = System.nanoTime() - scheduled;
                statuses[slot] = answer.status();
                runIds[slot] = answer.runId();
                if (bodies != null) {
                  bodies[slot] = answer.body();
                }
                done.countDown();
              });
    }
    boolean finished = done.await(requestTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    // The latch orders every finished sender's writes before this read; unfinished ones stay 0.
    int unfinished = finished ? 0 : (int) done.getCount();
    return new Samples(statuses, latencies, maxLag, unfinished, runIds, bodies);
  }

  /** One request's outcome: an HTTP status, or {@link #TIMED_OUT} / {@link #IO_ERROR}. */
  private record Answer(int status, String runId, String body) {}

  private Answer send(HttpRequest request, boolean keepBody) {
    try {
      HttpResponse<String> response =
          http.send(
              request,
              keepBody
                  ? HttpResponse.BodyHandlers.ofString()
                  : HttpResponse.BodyHandlers.replacing((String) null));
      return new Answer(
          response.statusCode(),
          response.headers().firstValue(RUN_ID_HEADER).orElse(null),
          response.body());
    } catch (HttpTimeoutException e) {
      return new Answer(TIMED_OUT, null, null);
    } catch (IOException e) {
      return new Answer(IO_ERROR, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(IO_ERROR, null, null);
    }
  }
}
