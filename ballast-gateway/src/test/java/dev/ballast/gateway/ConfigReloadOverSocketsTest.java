package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node reloads its configuration file without a restart ({@code POST /v1/ballast/config/reload}):
 * new keys and routes take effect for the next request, a request in flight finishes on what it
 * started with, an invalid file or one that needs a restart changes nothing and says why, each with
 * its path.
 */
class ConfigReloadOverSocketsTest {
  static final String OPS = "bk-reload-ops";
  static final String TEAM = "bk-reload-team";
  static final String NEWBIE = "bk-reload-newbie";

  @TempDir Path dir;
  private Path file;
  private TestGateway node;

  /** A configuration with an admin (ops), a tenant (team) and the given extra YAML lines. */
  static String yaml(String store, String groups, String extraTenants, String extra) {
    return """
        server: {port: 0, max_body_bytes: 65536}
        store: {url: "%s"}
        providers:
          sim: {type: simulator}
        deployments:
          up: {provider: sim, model: sim}
          refusing: {provider: sim, model: "sim:status=400"}
          slow: {provider: sim, model: "sim:token_delay=30ms,tokens=40"}
        groups:
          %s
          slow: {deployments: [slow]}
        admins: [ops]
        tenants:
          ops: {keys: ["%s"]}
          team: {keys: ["%s"], redact: ["\\\\b\\\\d{4}\\\\b"]}
          %s
        %s
        """
        .formatted(
            store,
            groups,
            ConfigLoader.hashKey(OPS),
            ConfigLoader.hashKey(TEAM),
            extraTenants,
            extra);
  }

  static Supplier<BallastConfig> source(Path file, Path dataDir) {
    return () -> {
      BallastConfig c = ConfigLoader.load(file, Map.of());
      return c.withServer(c.server().withDataDir(dataDir));
    };
  }

  private void start(String yaml) throws Exception {
    file = dir.resolve("ballast.yaml");
    Files.writeString(file, yaml);
    node = new TestGateway(Gateway.start(source(file, dir.resolve("data"))));
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private HttpResponse<String> reload(String key) {
    return node.post("/v1/ballast/config/reload", key, "");
  }

  @Test
  void aReloadThatAddsATenantKeyLetsItInWhileTheCallInFlightFinishes() throws Exception {
    start(yaml("sqlite:", "default: {deployments: [up]}", "", ""));
    String before = node.gateway.config().version();
    assertThat(
            node.post("/v1/chat/completions", NEWBIE, TestGateway.chat("default", false))
                .statusCode())
        .isEqualTo(401);
    // A streamed call in flight: its first bytes have arrived, the rest is still coming.
    HttpResponse<InputStream> inFlight =
        node.http.send(
            HttpRequest.newBuilder(URI.create(node.gateway.baseUrl() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + TEAM)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat("slow", true)))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader stream =
        new BufferedReader(new InputStreamReader(inFlight.body(), StandardCharsets.UTF_8));
    assertThat(stream.readLine()).startsWith("data: ");

    // The new version also drops the group and the deployment the call in flight is using.
    Files.writeString(
        file,
        yaml(
                "sqlite:",
                "default: {deployments: [up]}",
                "newbie: {keys: [\"" + ConfigLoader.hashKey(NEWBIE) + "\"]}",
                "")
            .lines()
            .filter(line -> !line.contains("slow"))
            .collect(Collectors.joining("\n")));
    HttpResponse<String> reloaded = reload(OPS);

    assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
    JsonNode body = TestGateway.json(reloaded.body());
    assertThat(body.path("outcome").asText()).isEqualTo("applied");
    assertThat(body.path("previous_version").asText()).isEqualTo(before);
    assertThat(body.path("version").asText()).isNotEqualTo(before);
    HttpResponse<String> newbie =
        node.post("/v1/chat/completions", NEWBIE, TestGateway.chat("default", false));
    assertThat(newbie.statusCode()).as(newbie.body()).isEqualTo(200);
    assertThat(
            node.post("/v1/chat/completions", TEAM, TestGateway.chat("slow", false)).statusCode())
        .isEqualTo(404);
    List<String> rest = new ArrayList<>();
    stream.lines().forEach(rest::add);
    assertThat(inFlight.statusCode()).isEqualTo(200);
    assertThat(rest).contains("data: [DONE]");
    assertThat(rest.stream().filter(l -> l.startsWith("data: {")).count())
        .as("every chunk after the first arrived")
        .isGreaterThan(10);
    assertThat(String.join("\n", rest)).doesNotContain("\"error\"");
  }

  @Test
  void aReloadThatChangesAGroupsDeploymentsRoutesTheNextCallThere() throws Exception {
    start(yaml("sqlite:", "default: {deployments: [refusing]}", "", ""));
    assertThat(
            node.post("/v1/chat/completions", TEAM, TestGateway.chat("default", false))
                .statusCode())
        .isEqualTo(400);

    Files.writeString(file, yaml("sqlite:", "default: {deployments: [up]}", "", ""));
    assertThat(reload(OPS).statusCode()).isEqualTo(200);

    HttpResponse<String> answered =
        node.post("/v1/chat/completions", TEAM, TestGateway.chat("default", false));
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    JsonNode models = TestGateway.json(node.get("/v1/models", TEAM).body());
    assertThat(models.toString()).contains("\"deployments\":[\"up\"]");
  }

  @Test
  void anInvalidFileIsRefusedWithEveryErrorAndItsPathAndTheRunningConfigKeepsServing()
      throws Exception {
    start(yaml("sqlite:", "default: {deployments: [up]}", "", ""));
    String running = node.gateway.config().version();

    Files.writeString(
        file,
        yaml(
            "sqlite:",
            "default: {deployments: [up, nowhere]}",
            "",
            "resilience: {deadline: soon}"));
    HttpResponse<String> refused = reload(OPS);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    JsonNode error = TestGateway.json(refused.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("config_invalid");
    List<String> errors = new ArrayList<>();
    error.path("errors").forEach(e -> errors.add(e.asText()));
    assertThat(errors).hasSizeGreaterThanOrEqualTo(2);
    assertThat(errors).anyMatch(e -> e.startsWith("groups.default.deployments[1]"));
    assertThat(errors).anyMatch(e -> e.startsWith("resilience.deadline"));
    assertThat(node.gateway.config().version()).isEqualTo(running);
    assertThat(
            node.post("/v1/chat/completions", TEAM, TestGateway.chat("default", false))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aChangeOnlyARestartTakesOverIsRefusedNamingItsPathAndNothingIsApplied() throws Exception {
    start(yaml("sqlite:", "default: {deployments: [up]}", "", ""));
    String running = node.gateway.config().version();

    Files.writeString(
        file,
        yaml(
                "sqlite:",
                "default: {deployments: [up]}",
                "newbie: {keys: [\"" + ConfigLoader.hashKey(NEWBIE) + "\"]}",
                "journal: {batch_size: 7}")
            .replace("max_body_bytes: 65536", "max_body_bytes: 1024"));
    HttpResponse<String> refused = reload(OPS);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    JsonNode error = TestGateway.json(refused.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("config_restart_needed");
    List<String> paths = new ArrayList<>();
    error.path("restart_needed").forEach(p -> paths.add(p.asText()));
    assertThat(paths).containsExactly("journal.batch_size", "server.max_body_bytes");
    assertThat(node.gateway.config().version()).isEqualTo(running);
    assertThat(
            node.post("/v1/chat/completions", NEWBIE, TestGateway.chat("default", false))
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void onlyAnAdministratorMayReloadAndTheSameFileReloadsAsUnchanged() throws Exception {
    start(yaml("sqlite:", "default: {deployments: [up]}", "", ""));

    HttpResponse<String> tenant = reload(TEAM);
    assertThat(tenant.statusCode()).isEqualTo(403);
    assertThat(TestGateway.json(tenant.body()).path("error").path("code").asText())
        .isEqualTo("admin_required");
    HttpResponse<String> same = reload(OPS);
    assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    assertThat(TestGateway.json(same.body()).path("outcome").asText()).isEqualTo("unchanged");
  }

  @Test
  void statusShowsTheVersionRunningAndWhenItWasLoaded() throws Exception {
    start(yaml("sqlite:", "default: {deployments: [up]}", "", ""));
    JsonNode before = TestGateway.json(node.get("/v1/ballast/status", OPS).body());
    assertThat(before.path("config").path("version").asText())
        .isEqualTo(node.gateway.config().version());

    Files.writeString(file, yaml("sqlite:", "default: {deployments: [up, refusing]}", "", ""));
    JsonNode reloaded = TestGateway.json(reload(OPS).body());
    JsonNode after = TestGateway.json(node.get("/v1/ballast/status", OPS).body());

    assertThat(after.path("config").path("version").asText())
        .isEqualTo(reloaded.path("version").asText())
        .isNotEqualTo(before.path("config").path("version").asText());
    assertThat(after.path("config").path("loaded_at").asText())
        .isEqualTo(reloaded.path("loaded_at").asText());
    assertThat(after.path("nodes")).hasSize(1);
    assertThat(after.path("nodes").get(0).path("config_version").asText())
        .isEqualTo(reloaded.path("version").asText());
    assertThat(after.path("config_versions_agree").asBoolean()).isTrue();
  }

  @Test
  void aDeploymentAddedByAReloadHasItsBreakerAndBudgetGauges() throws Exception {
    start(yaml("sqlite:", "default: {deployments: [up]}", "", ""));

    Files.writeString(
        file,
        yaml("sqlite:", "default: {deployments: [up, added]}", "", "")
            .replace("deployments:\n", "deployments:\n  added: {provider: sim, model: sim}\n"));
    assertThat(reload(OPS).statusCode()).isEqualTo(200);

    String metrics = node.get("/metrics", OPS).body();
    assertThat(metrics.lines())
        .anyMatch(l -> l.startsWith("ballast_breaker_state{") && l.contains("deployment=\"added\""))
        .anyMatch(
            l -> l.startsWith("ballast_retry_budget_remaining{") && l.contains("scope=\"added\""));
  }
}
