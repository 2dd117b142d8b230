package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.testkit.Postgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node roles on a shared store: a gateway node takes submissions and executes nothing, a worker
 * node executes them and serves only health and status.
 */
class PipelineNodeRolesTest {
  @TempDir Path gatewayDir;
  @TempDir Path workerDir;

  @Test
  void aWorkerNodeServesOnlyHealthAndStatusAndSaysWhy() {
    try (WebhookSink sink = new WebhookSink();
        PipelineGateway worker = new PipelineGateway(workerDir, "sqlite:", "worker", sink)) {
      HttpResponse<String> chat =
          worker.post("/v1/chat/completions", TestGateway.chat("default", false));
      HttpResponse<String> submit = worker.post("/v1/pipelines/shape/runs", "{\"input\":1}");

      assertThat(chat.statusCode()).isEqualTo(404);
      JsonNode error = json(chat.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("worker_node");
      assertThat(error.get("message").asText()).contains("worker").contains("/v1/chat/completions");
      assertThat(submit.statusCode()).isEqualTo(404);
      assertThat(worker.get("/healthz").statusCode()).isEqualTo(200);
      // Node details are an administrator's to see (docs/security.md).
      HttpResponse<String> status = worker.get("/v1/ballast/status", PipelineGateway.ADMIN_KEY);
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(json(status.body()).at("/pipelines/role").asText()).isEqualTo("worker");
    }
  }

  @Test
  void aWorkerExecutesRunsSubmittedThroughAGatewayNodeOnOneSqliteFile() {
    String store = "sqlite:" + gatewayDir.resolve("shared.db");
    submitOnGatewayExecuteOnWorker(store);
  }

  @Test
  void aWorkerExecutesRunsSubmittedThroughAGatewayNodeOnPostgres() throws Exception {
    String base = Postgres.requireAvailable();
    String schema =
        "ballast_pipe_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    try {
      submitOnGatewayExecuteOnWorker(base + "&schema=" + schema);
    } finally {
      Postgres.dropSchema(base, schema);
    }
  }

  private void submitOnGatewayExecuteOnWorker(String store) {
    try (WebhookSink sink = new WebhookSink();
        PipelineGateway gateway = new PipelineGateway(gatewayDir, store, "gateway", sink);
        PipelineGateway worker = new PipelineGateway(workerDir, store, "worker", sink)) {
      String id = gateway.submit("digest", "{\"text\":\"two nodes\",\"id\":\"doc-2\"}");

      JsonNode done = gateway.awaitState(id, "succeeded");

      // The run's output is its last stage that is not an effect: the shaped summary.
      assertThat(done.get("output").get("doc").asText()).isEqualTo("doc-2");
      assertThat(worker.gateway.pipelines().stats().claimed()).isEqualTo(1);
      assertThat(gateway.gateway.pipelines().stats().claimed()).isZero();
      assertThat(sink.deliveriesFor(id))
          .singleElement()
          .extracting(WebhookSink.Delivery::idempotencyKey)
          .isEqualTo(id + "/notify/webhook");
      // The stages ran on the worker; its journal shows where.
      worker.gateway.journal().flush(java.time.Duration.ofSeconds(5));
      JsonNode stages = json(gateway.get("/v1/pipelines/runs/" + id).body()).get("stages");
      assertThat(PipelinesApiTest.texts(stages, "state")).containsOnly("completed");
      assertThat(stages.get(0).at("/output/text").asText()).contains("two nodes");
    }
  }
}
