package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every field Ballast names in its JSON is snake_case, like the OpenAI and Anthropic APIs beside
 * it: run summaries, a run's journal and trace, replay reports and node status included (they were
 * camelCase, straight from Java records).
 */
class SnakeCaseResponsesTest {
  private static final Pattern SNAKE = Pattern.compile("[a-z0-9]+(_[a-z0-9]+)*");
  private static final String ADMIN = "bk-snake-admin";

  @TempDir Path dir;

  @Test
  void runsTracesReplaysAndStatusNameTheirFieldsInSnakeCase() {
    String yaml =
        """
        server: {port: 0}
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim}}
        groups: {default: {deployments: [sim]}}
        tenants: {ops: {keys: ["%s"]}}
        admins: [ops]
        """
            .formatted(ConfigLoader.hashKey(ADMIN));
    BallastConfig config = ConfigLoader.parse("snake", yaml, Map.of());
    try (TestGateway node =
        new TestGateway(Gateway.start(config.withServer(config.server().withDataDir(dir))))) {
      HttpResponse<String> chat =
          node.post("/v1/chat/completions", ADMIN, TestGateway.chat("default", false));
      String run = chat.headers().firstValue("x-ballast-run-id").orElseThrow();
      node.gateway.journal().flush(Duration.ofSeconds(5));

      List<String> camel = new ArrayList<>();
      for (String path :
          List.of(
              "/v1/ballast/runs",
              "/v1/ballast/runs/" + run,
              "/v1/ballast/runs/" + run + "/trace",
              "/v1/ballast/status")) {
        HttpResponse<String> r = node.get(path, ADMIN);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        collect(path, TestGateway.json(r.body()), camel);
      }
      HttpResponse<String> replay = node.post("/v1/ballast/runs/" + run + "/replay", ADMIN, "");
      assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
      collect("replay", TestGateway.json(replay.body()), camel);

      assertThat(camel).isEmpty();
    }
  }

  /** Field names that are not snake_case; the attributes of a trace node are data, skipped. */
  private static void collect(String at, JsonNode node, List<String> camel) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (!SNAKE.matcher(e.getKey()).matches() && !at.endsWith("/deployments")) {
                  camel.add(at + "/" + e.getKey());
                }
                if (!e.getKey().equals("attributes") && !e.getKey().equals("content")) {
                  collect(at + "/" + e.getKey(), e.getValue(), camel);
                }
              });
    } else if (node.isArray()) {
      node.forEach(child -> collect(at + "[]", child, camel));
    }
  }
}
