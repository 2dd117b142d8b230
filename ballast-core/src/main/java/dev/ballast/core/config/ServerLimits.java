package dev.ballast.core.config;

import java.time.Duration;

/**
 * {@code server.limits}: how long and how many connections a client may hold, so that no client can
 * keep a node's connections busy by sending slowly or not at all.
 *
 * @param requestHead the time from a request's first line to the end of its headers; a client that
 *     trickles headers (slowloris) is disconnected after it (default 10 s)
 * @param bodyProgress the longest pause while a request body is being received (default 30 s)
 * @param idle how long a keep-alive connection may wait for its next request (default 60 s)
 * @param connectionsPerClient the most connections one client address may hold with a request in
 *     progress; 0 means no limit (default 1024: set it higher, or 0, behind a proxy that makes all
 *     traffic come from one address)
 */
public record ServerLimits(
    Duration requestHead, Duration bodyProgress, Duration idle, int connectionsPerClient) {
  public static final ServerLimits DEFAULT =
      new ServerLimits(
          Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), 1024);

  public ServerLimits {
    positive("request_head", requestHead);
    positive("body_progress", bodyProgress);
    positive("idle", idle);
    if (connectionsPerClient < 0) {
      throw new IllegalArgumentException(
          "connections_per_client must be >= 0, but was " + connectionsPerClient);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, but was " + value);
    }
  }
}
