package dev.ballast.gateway.internal.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Notes every (method, path) route registered on a routing builder as it goes through to the real
 * one: the node's list of routes comes from the routing code itself, so the OpenAPI document can be
 * checked against what a node really serves ({@code GET /openapi.json}). A route registered by
 * method and path ({@code get("/x", h)}, {@code route(Method.GET, "/x", h)}) is noted; a path-less
 * catch-all ({@code any(h)}) and filters are not routes of the API.
 */
public final class RouteRecorder {
  /** A route as registered: HTTP method (or {@code ANY}) and Helidon path template. */
  public record Route(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static final Set<String> METHODS =
      Set.of("get", "post", "put", "delete", "head", "options", "trace", "patch", "any");

  private final List<Route> routes = new CopyOnWriteArrayList<>();

  /** The routes registered so far, in registration order. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** A builder that notes each route registered on it and passes every call to {@code real}. */
  public HttpRouting.Builder wrap(HttpRouting.Builder real) {
    return (HttpRouting.Builder)
        Proxy.newProxyInstance(
            HttpRouting.Builder.class.getClassLoader(),
            new Class<?>[] {HttpRouting.Builder.class},
            (proxy, method, args) -> {
              note(method.getName(), args);
              Object result;
              try {
                result = method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              // Chained calls must come back through the proxy to be noted too.
              return result == real ? proxy : result;
            });
  }

  private void note(String name, Object[] args) {
    if (args == null || args.length < 2) {
      return;
    }
    if (METHODS.contains(name) && args[0] instanceof String path) {
      routes.add(new Route(name.toUpperCase(Locale.ROOT), path));
    } else if (name.equals("route") && args[0] instanceof Method m && args[1] instanceof String p) {
      routes.add(new Route(m.text(), p));
    }
  }
}
