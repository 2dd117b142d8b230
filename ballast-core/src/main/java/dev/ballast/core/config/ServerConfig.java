package dev.ballast.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code server}: where the gateway listens, where local state lives, and what a client may hold.
 *
 * @param maxBodyBytes requests with larger bodies are refused with 413
 * @param dataDir the embedded store, the journal spool and the dev key live here
 * @param role whether this node serves the HTTP API, executes pipeline runs, or both
 * @param limits connection timeouts and the per-client connection cap
 * @param drainTimeout {@code server.drain_timeout}: on shutdown (SIGTERM), how long in-flight
 *     requests and running stages may take to finish before the node hands its runs back (default
 *     20 s, between 0 and 10 minutes)
 */
public record ServerConfig(
    String host,
    int port,
    long maxBodyBytes,
    Path dataDir,
    NodeRole role,
    ServerLimits limits,
    Duration drainTimeout) {

  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration MAX_DRAIN_TIMEOUT = Duration.ofMinutes(10);

  public ServerConfig {
    drainTimeout = drainTimeout == null ? DEFAULT_DRAIN_TIMEOUT : drainTimeout;
    if (drainTimeout.isNegative() || drainTimeout.compareTo(MAX_DRAIN_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "server.drain_timeout must be between 0s and 10m, but was " + drainTimeout);
    }
  }

  /** A server with the default {@link ServerLimits}. */
  public ServerConfig(String host, int port, long maxBodyBytes, Path dataDir, NodeRole role) {
    this(host, port, maxBodyBytes, dataDir, role, ServerLimits.DEFAULT);
  }

  /** A server with the default drain timeout. */
  public ServerConfig(
      String host, int port, long maxBodyBytes, Path dataDir, NodeRole role, ServerLimits limits) {
    this(host, port, maxBodyBytes, dataDir, role, limits, DEFAULT_DRAIN_TIMEOUT);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, maxBodyBytes, dataDir, role, limits, drainTimeout);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes, dataDir, role, limits, drainTimeout);
  }

  public ServerConfig withDataDir(Path newDataDir) {
    return new ServerConfig(host, port, maxBodyBytes, newDataDir, role, limits, drainTimeout);
  }

  public ServerConfig withRole(NodeRole newRole) {
    return new ServerConfig(host, port, maxBodyBytes, dataDir, newRole, limits, drainTimeout);
  }

  public ServerConfig withLimits(ServerLimits newLimits) {
    return new ServerConfig(host, port, maxBodyBytes, dataDir, role, newLimits, drainTimeout);
  }

  public ServerConfig withDrainTimeout(Duration newDrainTimeout) {
    return new ServerConfig(host, port, maxBodyBytes, dataDir, role, limits, newDrainTimeout);
  }
}
