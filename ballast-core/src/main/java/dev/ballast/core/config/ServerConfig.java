package dev.ballast.core.config;

import java.nio.file.Path;

/**
 * {@code server}: where the gateway listens, where local state lives, and what a client may hold.
 *
 * @param maxBodyBytes requests with larger bodies are refused with 413
 * @param dataDir the embedded store, the journal spool and the dev key live here
 * @param role whether this node serves the HTTP API, executes pipeline runs, or both
 * @param limits connection timeouts and the per-client connection cap
 */
public record ServerConfig(
    String host, int port, long maxBodyBytes, Path dataDir, NodeRole role, ServerLimits limits) {

  /** A server with the default {@link ServerLimits}. */
  public ServerConfig(String host, int port, long maxBodyBytes, Path dataDir, NodeRole role) {
    this(host, port, maxBodyBytes, dataDir, role, ServerLimits.DEFAULT);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, maxBodyBytes, dataDir, role, limits);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes, dataDir, role, limits);
  }

  public ServerConfig withDataDir(Path newDataDir) {
    return new ServerConfig(host, port, maxBodyBytes, newDataDir, role, limits);
  }

  public ServerConfig withRole(NodeRole newRole) {
    return new ServerConfig(host, port, maxBodyBytes, dataDir, newRole, limits);
  }

  public ServerConfig withLimits(ServerLimits newLimits) {
    return new ServerConfig(host, port, maxBodyBytes, dataDir, role, newLimits);
  }
}
