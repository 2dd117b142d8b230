package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in configuration out of the box, over real sockets: the {@code docs} collection is
 * seeded with the sample corpus by the local embedding model at start, and the {@code rag-answer}
 * pipeline answers from it, pins the generation and memory version it read, and remembers the
 * exchange.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RagAnswerTest {
  static final String KEY = "bk-rag";

  @TempDir static Path dir;
  PipelineGateway node;

  @BeforeAll
  void start() {
    BallastConfig defaults = ConfigLoader.defaults(Map.of(), dir, ConfigLoader.hashKey(KEY));
    node =
        new PipelineGateway(Gateway.start(defaults.withServer(defaults.server().withPort(0))), KEY);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  void theSampleCorpusIsSeededAndSearchFindsTheDocumentThatAnswers() {
    JsonNode collections = TestGateway.json(node.get("/v1/collections").body());
    JsonNode docs = collections.get("data").get(0);
    assertThat(docs.get("name").asText()).isEqualTo("docs");
    assertThat(docs.get("generation").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(docs.get("embedding_model").asText()).isEqualTo("local/all-minilm-l6-v2");
    assertThat(docs.get("dimension").asInt()).isEqualTo(384);

    for (String mode : List.of("vector", "keyword", "hybrid")) {
      HttpResponse<String> r =
          node.post(
              "/v1/collections/docs/search",
              "{\"query\":\"How do I resume a dead run after fixing the webhook?\",\"k\":3,"
                  + "\"mode\":\""
                  + mode
                  + "\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode hits = TestGateway.json(r.body()).get("data");
      assertThat(hits.get(0).get("document").asText()).as(mode).isEqualTo("dead-runs.md");
    }
  }

  @Test
  void ragAnswerRetrievesFromThePinnedGenerationAnswersAndRemembers() {
    String conversation = "conv-" + System.nanoTime();
    String run =
        node.submit(
            "rag-answer",
            "{\"question\":\"How do I resume a dead run?\",\"conversation_id\":\""
                + conversation
                + "\"}");
    JsonNode done = node.awaitState(run, "succeeded");
    JsonNode retrieve = stage(done, "retrieve").get("output");
    List<String> documents = new ArrayList<>();
    retrieve.get("chunks").forEach(c -> documents.add(c.get("document").asText()));
    assertThat(documents).contains("dead-runs.md");
    assertThat(retrieve.get("generation").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(stage(done, "answer").get("output").get("text").asText()).isNotBlank();
    // The run's output is the answer, not the receipt of the memory write that came last.
    assertThat(done.get("output")).isEqualTo(stage(done, "answer").get("output"));

    JsonNode memory =
        TestGateway.json(node.get("/v1/conversations/" + conversation + "/memory").body());
    assertThat(memory.get("version").asLong()).isEqualTo(2);
    assertThat(memory.get("turns")).hasSize(2);
    assertThat(memory.get("turns").get(0).get("content").asText())
        .isEqualTo("How do I resume a dead run?");

    // The second question of the conversation reads the first exchange from memory.
    String second =
        node.submit(
            "rag-answer",
            "{\"question\":\"And what is a poison run?\",\"conversation_id\":\""
                + conversation
                + "\"}");
    JsonNode secondDone = node.awaitState(second, "succeeded");
    JsonNode context = stage(secondDone, "context").get("output");
    assertThat(context.toString()).contains("How do I resume a dead run?");
    JsonNode after =
        TestGateway.json(node.get("/v1/conversations/" + conversation + "/memory").body());
    assertThat(after.get("version").asLong()).isEqualTo(4);
    JsonNode atTwo =
        TestGateway.json(
            node.get("/v1/conversations/" + conversation + "/memory?version=2").body());
    assertThat(atTwo.get("turns")).hasSize(2);
  }

  @Test
  void aRagAnswerRunReplaysIdenticallyFromItsJournalWithoutTouchingState() {
    String conversation = "conv-replay-" + System.nanoTime();
    node.awaitState(
        node.submit(
            "rag-answer",
            "{\"question\":\"How do I resume a dead run?\",\"conversation_id\":\""
                + conversation
                + "\"}"),
        "succeeded");
    // The second run reads the first exchange from memory (pinned at version 2) and writes 3-4.
    String run =
        node.submit(
            "rag-answer",
            "{\"question\":\"And what is a poison run?\",\"conversation_id\":\""
                + conversation
                + "\"}");
    node.awaitState(run, "succeeded");
    node.gateway.journal().flush(java.time.Duration.ofSeconds(5));

    HttpResponse<String> r = node.post("/v1/ballast/runs/" + run + "/replay", "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode report = TestGateway.json(r.body());
    assertThat(report.get("outcome").asText()).as(report.toString()).isEqualTo("IDENTICAL");
    List<String> stages = new ArrayList<>();
    report.get("stages").forEach(st -> stages.add(st.get("stage").asText()));
    assertThat(stages)
        .containsExactly("embed_question", "retrieve", "context", "answer", "check", "remember");
    // A what-if through the same (deterministic) model group makes the call live, under the new
    // run's id, and finds the same answer: identical but for the fields that name the run.
    HttpResponse<String> w =
        node.post("/v1/ballast/runs/" + run + "/replay", "{\"group\":\"default\"}");
    assertThat(w.statusCode()).as(w.body()).isEqualTo(200);
    JsonNode whatIf = TestGateway.json(w.body());
    assertThat(whatIf.get("mode").asText()).isEqualTo("WHAT_IF");
    assertThat(whatIf.get("outcome").asText()).as(whatIf.toString()).isEqualTo("IDENTICAL");

    JsonNode memory =
        TestGateway.json(node.get("/v1/conversations/" + conversation + "/memory").body());
    assertThat(memory.get("version").asLong()).as("a replay writes no memory").isEqualTo(4);
  }

  @Test
  void anIngestionCommitsANewGenerationAndOlderGenerationsStayAsTheyWere() {
    long before =
        TestGateway.json(node.get("/v1/collections").body())
            .get("data")
            .get(0)
            .get("generation")
            .asLong();
    String lighthouse =
        """
        {"documents": [{"id": "lighthouse.md", "content_type": "text/markdown",
          "text": "# Lighthouse keeping\\n\\nThe lighthouse lamp is lit at dusk by the keeper."}]}
        """;
    HttpResponse<String> r = node.post("/v1/collections/docs/documents", lighthouse);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode generation = TestGateway.json(r.body());
    assertThat(generation.get("generation").asLong()).isEqualTo(before + 1);
    assertThat(generation.get("added").asInt()).isEqualTo(1);
    assertThat(generation.get("embedded").asInt()).isEqualTo(1);

    String query = "{\"query\":\"who lights the lighthouse lamp\",\"k\":1,\"generation\":%d}";
    JsonNode now =
        TestGateway.json(
            node.post("/v1/collections/docs/search", query.formatted(before + 1)).body());
    assertThat(now.get("data").get(0).get("document").asText()).isEqualTo("lighthouse.md");
    JsonNode pinned =
        TestGateway.json(node.post("/v1/collections/docs/search", query.formatted(before)).body());
    assertThat(pinned.get("data").get(0).get("document").asText()).isNotEqualTo("lighthouse.md");

    // The same text again changes nothing but the generation number.
    JsonNode again =
        TestGateway.json(node.post("/v1/collections/docs/documents", lighthouse).body());
    assertThat(again.get("embedded").asInt()).isZero();
    assertThat(again.get("unchanged").asInt()).isEqualTo(1);
  }

  @Test
  void clientMistakesAreNamed() {
    assertError(
        node.post("/v1/collections/nope/documents", "{\"documents\":[]}"),
        404,
        "No collection 'nope'; this key may read: docs");
    assertError(
        node.post(
            "/v1/collections/docs/documents",
            "{\"documents\":[{\"id\":\"a\",\"text\":\"x\",\"content_type\":\"application/pdf\"}]}"),
        400,
        "Unsupported content type 'application/pdf'");
    assertError(
        node.post("/v1/collections/docs/documents", "{\"documents\":[{\"id\":\"a\"}]}"),
        400,
        "documents[0].text");
    assertError(
        node.post("/v1/collections/docs/search", "{\"query\":\"x\",\"mode\":\"fuzzy\"}"),
        400,
        "search mode must be one of vector, keyword, hybrid");
    assertError(
        node.post("/v1/collections/docs/search", "{\"query\":\"x\",\"generation\":999999}"),
        404,
        "pinned to generation 999999");
    assertError(
        node.post("/v1/pipelines/rag-answer/runs", "{\"input\":{\"question\":\"hi\"}}"),
        400,
        "conversation");
  }

  private static void assertError(HttpResponse<String> r, int status, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(TestGateway.json(r.body()).get("error").get("message").asText())
        .as(r.body())
        .contains(message);
  }

  private static JsonNode stage(JsonNode run, String name) {
    for (JsonNode s : run.get("stages")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no stage " + name + " in " + run);
  }
}
