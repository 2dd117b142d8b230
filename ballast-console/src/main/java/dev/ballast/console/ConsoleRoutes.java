package dev.ballast.console;

import dev.ballast.console.internal.StaticAssets;
import dev.ballast.gateway.spi.RouteExtension;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;

/**
 * The console: an operator's web UI at {@code /ui/} on every node that serves the API. Its pages
 * are static files inside this jar (HTML, CSS and ES modules, with uPlot from its webjar) that read
 * the public HTTP API with the virtual key the operator signs in with; the server holds no session
 * and adds no endpoint of its own. Registered by {@link java.util.ServiceLoader} as a {@link
 * RouteExtension}: a node with this jar on its classpath serves the console.
 */
public final class ConsoleRoutes implements RouteExtension {
  /** Where the console is served. */
  public static final String PATH = "/ui/";

  private final StaticAssets assets = StaticAssets.console();

  @Override
  public void register(HttpRouting.Builder routing) {
    routing
        .get(
            "/ui",
            (req, res) -> {
              res.status(Status.MOVED_PERMANENTLY_301);
              res.header(HeaderNames.LOCATION, PATH);
              res.send();
            })
        .get("/ui/", (req, res) -> assets.serve("index.html", req, res))
        .get(
            "/ui/{+path}",
            (req, res) -> assets.serve(req.path().pathParameters().get("path"), req, res));
  }
}
