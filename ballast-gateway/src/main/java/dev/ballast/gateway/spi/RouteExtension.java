package dev.ballast.gateway.spi;

import io.helidon.webserver.http.HttpRouting;

/**
 * Routes a module adds to every node that serves the API (roles {@code gateway} and {@code both}),
 * found with {@link java.util.ServiceLoader} on the classpath: the console ({@code
 * ballast-console}) serves its pages at {@code /ui/} this way, so the gateway does not depend on
 * it. Extension routes are registered before the API's own, whose catch-all answers unknown paths
 * with a 404; an extension must not claim a path the API serves.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface RouteExtension {

  /** Registers this extension's routes. */
  void register(HttpRouting.Builder routing);
}
