package dev.ballast.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.gateway.Gateway;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a node serves the console's files: from the jar, offline, and nothing else. */
class ConsoleRoutesTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  private Gateway start(String role) {
    String yaml =
        """
        server: {port: 0, role: %s}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim}
        groups:
          default: {deployments: [sim]}
        tenants:
          dev: {keys: ["%s"]}
        """
            .formatted(role, ConfigLoader.hashKey("bk-routes"));
    BallastConfig config = ConfigLoader.parse("routes", yaml, Map.of());
    return Gateway.start(config.withServer(config.server().withDataDir(dir)));
  }

  private HttpResponse<String> get(Gateway node, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theConsolePageIsServedWithAPolicyThatAllowsNothingFromElsewhere() throws Exception {
    try (Gateway node = start("both")) {
      HttpResponse<String> page = get(node, "/ui/");

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
          .contains("default-src 'self'")
          .doesNotContain("http");
      assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\">");
      assertThat(get(node, "/ui").statusCode()).isEqualTo(301);
    }
  }

  @Test
  void uplotIsServedFromItsWebjar() throws Exception {
    try (Gateway node = start("both")) {
      HttpResponse<String> js = get(node, "/ui/vendor/uplot/uPlot.esm.js");
      HttpResponse<String> css = get(node, "/ui/vendor/uplot/uPlot.min.css");

      assertThat(js.statusCode()).isEqualTo(200);
      assertThat(js.body()).contains("export { uPlot as default }");
      assertThat(css.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void everyAssetThePagesImportIsInTheJar() throws Exception {
    try (Gateway node = start("both")) {
      for (String path :
          new String[] {
            "app.css",
            "favicon.svg",
            "js/app.js",
            "js/api.js",
            "js/ui.js",
            "js/chart.js",
            "js/pages/overview.js",
            "js/pages/runs.js",
            "js/pages/run.js",
            "js/pages/diff.js",
            "js/pages/pipelines.js",
            "js/pages/deployments.js",
            "js/pages/collections.js",
            "js/pages/alerts.js",
            "js/pages/alertsStrip.js",
            "js/pages/resume.js"
          }) {
        assertThat(get(node, "/ui/" + path).statusCode()).as(path).isEqualTo(200);
      }
    }
  }

  @Test
  void anUnchangedFileIsRevalidatedWithoutItsBody() throws Exception {
    try (Gateway node = start("both")) {
      String etag = get(node, "/ui/js/app.js").headers().firstValue("etag").orElseThrow();

      HttpResponse<String> again = get(node, "/ui/js/app.js", "If-None-Match", etag);

      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(again.body()).isEmpty();
    }
  }

  @Test
  void aPathOutsideTheConsoleIsNotFoundInWords() throws Exception {
    try (Gateway node = start("both")) {
      HttpResponse<String> missing = get(node, "/ui/js/nope.js");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("The console has no file /ui/js/nope.js");

      // Sent raw: an HTTP client would normalize the dots away before they reached the server.
      for (String path :
          new String[] {
            "/ui/../../../../etc/passwd",
            "/ui/%2e%2e/%2e%2e/etc/passwd",
            "/ui/vendor/uplot/../../../../META-INF/MANIFEST.MF",
            "/ui/dev/ballast/console/ConsoleRoutes.class"
          }) {
        assertThat(raw(node, path)).as(path).doesNotStartWith("HTTP/1.1 200");
      }
    }
  }

  @Test
  void aWorkerNodeServesNoConsole() throws Exception {
    try (Gateway node = start("worker")) {
      HttpResponse<String> page = get(node, "/ui/");

      assertThat(page.statusCode()).isEqualTo(404);
      assertThat(page.body()).contains("worker_node");
    }
  }

  private static String raw(Gateway node, String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] head = socket.getInputStream().readNBytes(64);
      return new String(head, StandardCharsets.US_ASCII);
    }
  }
}
