package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.testkit.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of one PostgreSQL store list each other with the configuration version each runs; after
 * one reloads, the status of the other says the versions disagree and which node runs which.
 */
class ConfigVersionsAcrossNodesTest {
  @TempDir Path dir;

  private TestGateway node(String name, String yaml) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return new TestGateway(
        Gateway.start(ConfigReloadOverSocketsTest.source(file, dir.resolve(name))));
  }

  private static Map<String, String> versions(JsonNode status) {
    Map<String, String> versions = new HashMap<>();
    status
        .path("nodes")
        .forEach(n -> versions.put(n.path("node_id").asText(), n.path("config_version").asText()));
    return versions;
  }

  @Test
  void eachNodeReportsItsConfigVersionAndStatusFlagsWhenTheyDisagree() throws Exception {
    String base = Postgres.requireAvailable();
    String store = base + "&schema=" + Postgres.newSchema("ballast_versions_");
    String groups = "default: {deployments: [up]}";
    String yaml = ConfigReloadOverSocketsTest.yaml(store, groups, "", "");
    try (TestGateway a = node("a", yaml);
        TestGateway b = node("b", yaml)) {
      String started = a.gateway.config().version();
      JsonNode before =
          TestGateway.json(a.get("/v1/ballast/status", ConfigReloadOverSocketsTest.OPS).body());
      assertThat(before.path("nodes")).hasSize(2);
      assertThat(versions(before).values()).containsOnly(started);
      assertThat(before.path("config_versions_agree").asBoolean()).isTrue();

      Files.writeString(
          dir.resolve("b.yaml"),
          ConfigReloadOverSocketsTest.yaml(store, "default: {deployments: [up, slow]}", "", ""));
      JsonNode reloaded =
          TestGateway.json(
              b.post("/v1/ballast/config/reload", ConfigReloadOverSocketsTest.OPS, "").body());
      assertThat(reloaded.path("outcome").asText()).isEqualTo("applied");
      String bNode =
          TestGateway.json(b.get("/v1/ballast/status", ConfigReloadOverSocketsTest.OPS).body())
              .path("node_id")
              .asText();

      JsonNode after =
          TestGateway.json(a.get("/v1/ballast/status", ConfigReloadOverSocketsTest.OPS).body());
      assertThat(versions(after)).containsEntry(bNode, reloaded.path("version").asText());
      assertThat(versions(after).values())
          .containsExactlyInAnyOrder(started, reloaded.path("version").asText());
      assertThat(after.path("config_versions_agree").asBoolean()).isFalse();
      assertThat(after.path("config_versions")).hasSize(2);
    }
  }
}
