package dev.ballast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.gateway.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /openapi.json} describes exactly the routes a node serves: the routes come from the
 * node's own routing code as it registered them (with Watch on and the console on the classpath, as
 * {@code ballast serve} runs), the document from the running node, unauthenticated.
 */
class OpenApiCoverageTest {
  private static final Set<String> HTTP_METHODS =
      Set.of("get", "post", "put", "delete", "patch", "head", "options", "trace");

  @TempDir static Path dir;
  static Gateway gateway;
  static JsonNode document;

  @BeforeAll
  static void start() throws Exception {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          d: {provider: sim, model: sim}
        groups:
          default: {deployments: [d]}
        tenants:
          acme: {keys: ["%s"]}
        watch: {enabled: true}
        """
            .formatted(ConfigLoader.hashKey("k-acme"));
    BallastConfig config = ConfigLoader.parse("openapi", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dir)));
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("unauthenticated GET /openapi.json").isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    document = Json.mapper().readTree(r.body());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void theDocumentIsOpenApi31() {
    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(document.at("/info/title").asText()).isEqualTo("Ballast");
  }

  @Test
  void everyRegisteredRouteHasAnEntryAndEveryEntryARoute() {
    Set<String> registered = new TreeSet<>();
    for (String route : gateway.routes()) {
      // Helidon's {+name} matches across '/'; OpenAPI writes the parameter {name}.
      registered.add(route.replaceAll("\\{\\+", "{"));
    }
    Set<String> documented = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              m -> {
                if (HTTP_METHODS.contains(m)) {
                  documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
              });
    }

    assertThat(registered).as("routes the node registered").contains("GET /ui/", "GET /livez");
    assertThat(registered)
        .as("registered routes without an entry in openapi.json")
        .isSubsetOf(documented);
    assertThat(documented)
        .as("entries of openapi.json that name no registered route")
        .isSubsetOf(registered);
  }

  @Test
  void everyReferenceResolves() {
    Set<String> missing = new TreeSet<>();
    collectRefs(document, missing);
    assertThat(missing).as("$refs that name nothing in the document").isEmpty();
  }

  private static void collectRefs(JsonNode node, Set<String> missing) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual()) {
        String pointer = ref.asText().substring(1);
        if (document.at(pointer).isMissingNode()) {
          missing.add(ref.asText());
        }
      }
      node.elements().forEachRemaining(child -> collectRefs(child, missing));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectRefs(child, missing));
    }
  }
}
