package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.testkit.Postgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL store (docs/state.md, "Pins"): node A ingests a new generation of a
 * collection while node B executes runs pinned to the previous one. B's retrievals for those runs
 * return exactly the chunks (ids and content hashes) live at the pinned generation although B's
 * index has moved past it, and runs submitted after A's commit, on either node, read the new one.
 */
class TwoNodeStateTest {
  static final String KEY = "bk-two-nodes";
  static final String QUESTION = "Who lights the lighthouse lamp at dusk?";
  static final String LIGHTHOUSE =
      """
      {"documents": [{"id": "lighthouse.md", "content_type": "text/markdown",
        "text": "# Lighthouse keeping\\n\\nThe keeper lights the lighthouse lamp at dusk and \
      trims its wick at midnight."}]}
      """;

  @TempDir Path aDir;
  @TempDir Path bDir;

  @Test
  void runsPinnedToAGenerationReadExactlyItOnANodeThatIsPastIt() throws Exception {
    String base = Postgres.requireAvailable();
    String schema =
        "ballast_state_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    String store = base + "&schema=" + schema;
    try (WebhookSink sink = new WebhookSink();
        // A takes submissions and ingests; it executes nothing, so every run executes on B.
        PipelineGateway a = node(aDir, store, "gateway", sink);
        PipelineGateway b = node(bDir, store, "both", sink)) {
      long g1 = generation(a);
      assertThat(g1).as("A seeded the sample corpus at start").isEqualTo(1);
      String reference = b.submit("rag", input());
      List<String> atG1 = chunks(b.awaitState(reference, "succeeded"), g1);
      assertThat(atG1).hasSize(4).noneMatch(c -> c.startsWith("lighthouse.md"));

      // B holds four runs, pinned to g1 at submission, inside their first stage.
      sink.gate = new CountDownLatch(1);
      List<String> held = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        held.add((i % 2 == 0 ? a : b).submit("held-rag", input()));
      }
      await()
          .atMost(PipelineGateway.WAIT)
          .until(() -> sink.deliveries.stream().filter(d -> d.path().equals("/hold")).count() == 4);

      HttpResponse<String> ingested = a.post("/v1/collections/docs/documents", LIGHTHOUSE);
      assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(200);
      long g2 = TestGateway.json(ingested.body()).get("generation").asLong();
      assertThat(g2).isEqualTo(g1 + 1);

      // Runs started after the commit, through either node, pin and read g2; B catches its index
      // up to g2 first if it has not tailed it yet.
      List<String> after = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        after.add((i % 2 == 0 ? a : b).submit("rag", input()));
      }
      List<String> atG2 = chunks(b.awaitState(after.getFirst(), "succeeded"), g2);
      assertThat(atG2).anyMatch(c -> c.startsWith("lighthouse.md"));
      for (String run : after) {
        assertThat(chunks(b.awaitState(run, "succeeded"), g2)).as(run).isEqualTo(atG2);
      }

      // B's index is now at g2 or later; the held runs retrieve as of g1, exactly.
      sink.gate.countDown();
      for (String run : held) {
        assertThat(chunks(b.awaitState(run, "succeeded"), g1)).as(run).isEqualTo(atG1);
      }
      assertThat(b.gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
      for (String run : held) {
        JournalEvent.Retrieval retrieval = retrieval(b, run);
        assertThat(retrieval.generation()).isEqualTo(g1);
        assertThat(retrieval.indexGeneration()).as("B's index was past the pin").isEqualTo(g2);
        assertThat(
                retrieval.results().stream()
                    .map(c -> c.documentId() + "#" + c.chunkId() + "@" + c.contentHash())
                    .toList())
            .isEqualTo(atG1);
      }
      for (String run : after) {
        assertThat(retrieval(b, run).indexGeneration()).isGreaterThanOrEqualTo(g2);
      }
      assertThat(a.gateway.pipelines().stats().claimed()).isZero();
      assertThat(b.gateway.pipelines().stats().claimed()).isEqualTo(9);

      // The search API answers the same on both nodes at either generation.
      for (long g : List.of(g1, g2)) {
        assertThat(search(a, g)).as("generation " + g).isEqualTo(search(b, g));
      }
    } finally {
      Postgres.dropSchema(base, schema);
    }
  }

  private static PipelineGateway node(Path dataDir, String store, String role, WebhookSink sink) {
    String yaml =
        """
        server: {port: 0, role: %s}
        store: {url: "%s"}
        providers:
          sim: {type: simulator}
          local: {type: local}
        deployments:
          sim: {provider: sim, model: sim}
          local-minilm: {provider: local, model: all-minilm-l6-v2}
        groups:
          default: {deployments: [sim]}
          local-embeddings: {deployments: [local-minilm]}
        tenants:
          team: {keys: ["%s"]}
        workers: {concurrency: 8, lease: 5s, heartbeat: 1s, poll: 50ms}
        collections:
          docs: {embedding: local, seed: "builtin:sample-docs", owner: team}
        pipelines:
          rag:
            stages:
              - {name: embed_question, type: embed, group: local-embeddings,
                 text: "{{input.question}}"}
              - {name: retrieve, type: retrieve, collection: docs, query: "{{input.question}}",
                 k: 4, vector_from: embed_question}
          held-rag:
            stages:
              - {name: hold, type: http_action, url: "%s", timeout: 30s}
              - {name: embed_question, type: embed, group: local-embeddings,
                 text: "{{input.question}}"}
              - {name: retrieve, type: retrieve, collection: docs, query: "{{input.question}}",
                 k: 4, vector_from: embed_question}
        """
            .formatted(role, store, ConfigLoader.hashKey(KEY), sink.url("/hold"));
    BallastConfig config = ConfigLoader.parse("two nodes", yaml, Map.of());
    return new PipelineGateway(
        Gateway.start(config.withServer(config.server().withDataDir(dataDir))), KEY);
  }

  private static String input() {
    return "{\"question\":\"" + QUESTION + "\"}";
  }

  private static long generation(PipelineGateway node) {
    return TestGateway.json(node.get("/v1/collections").body())
        .get("data")
        .get(0)
        .get("generation")
        .asLong();
  }

  /** The retrieve stage's chunks as {@code document#chunk@hash}, after checking its generation. */
  private static List<String> chunks(JsonNode run, long generation) {
    for (JsonNode stage : run.get("stages")) {
      if (stage.get("name").asText().equals("retrieve")) {
        JsonNode output = stage.get("output");
        assertThat(output.get("generation").asLong()).isEqualTo(generation);
        List<String> chunks = new ArrayList<>();
        output
            .get("chunks")
            .forEach(
                c ->
                    chunks.add(
                        c.get("document").asText()
                            + "#"
                            + c.get("id").asText()
                            + "@"
                            + c.get("hash").asText()));
        return chunks;
      }
    }
    throw new AssertionError("no retrieve stage in " + run);
  }

  private static JournalEvent.Retrieval retrieval(PipelineGateway node, String run) {
    return node.gateway.store().journal().events(run).stream()
        .map(JournalEntry::event)
        .filter(JournalEvent.Retrieval.class::isInstance)
        .map(JournalEvent.Retrieval.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Retrieval event for " + run));
  }

  private static List<String> search(PipelineGateway node, long generation) {
    HttpResponse<String> r =
        node.post(
            "/v1/collections/docs/search",
            "{\"query\":\"" + QUESTION + "\",\"k\":4,\"generation\":" + generation + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> hits = new ArrayList<>();
    TestGateway.json(r.body())
        .get("data")
        .forEach(h -> hits.add(h.get("chunk_id").asText() + "@" + h.get("content_hash").asText()));
    return hits;
  }
}
