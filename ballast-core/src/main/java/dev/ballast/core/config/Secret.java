package dev.ballast.core.config;

/**
 * A credential read from configuration. Its {@code toString} never reveals the value, so a secret
 * that ends up in a log line or an error message by accident is harmless.
 */
public record Secret(String value) {
  @Override
  public String toString() {
    return "****";
  }
}
