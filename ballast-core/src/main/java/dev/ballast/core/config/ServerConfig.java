package dev.ballast.core.config;

import java.nio.file.Path;

/**
 * {@code server}: where the gateway listens and where local state lives.
 *
 * @param maxBodyBytes requests with larger bodies are refused with 413
 * @param dataDir the embedded store, the journal spool and the dev key live here
 * @param role whether this node serves the HTTP API, executes pipeline runs, or both
 */
public record ServerConfig(String host, int port, long maxBodyBytes, Path dataDir, NodeRole role) {
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes, dataDir, role);
  }

  public ServerConfig withDataDir(Path newDataDir) {
    return new ServerConfig(host, port, maxBodyBytes, newDataDir, role);
  }

  public ServerConfig withRole(NodeRole newRole) {
    return new ServerConfig(host, port, maxBodyBytes, dataDir, newRole);
  }
}
