package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/ballast/runs/{id}/trace} and {@code GET /v1/ballast/diff} over real sockets, on
 * runs recorded through the simulator: a pipeline that embeds, retrieves from a seeded collection,
 * assembles context, answers through a group whose first deployment is down (so the answer is a
 * failover), and remembers the exchange.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceAndDiffTest {
  static final String KEY = "bk-trace";
  static final String OTHER_KEY = "bk-trace-other";
  static final String QUESTION = "Who lights the lighthouse lamp at dusk?";

  @TempDir static Path dir;
  PipelineGateway node;

  @BeforeAll
  void start() {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
          local: {type: local}
        deployments:
          sim: {provider: sim, model: sim, price: {input: 1.0, output: 2.0}}
          down: {provider: sim, model: "sim:status=503"}
          down-too: {provider: sim, model: "sim:status=503"}
          local-minilm: {provider: local, model: all-minilm-l6-v2}
        groups:
          failover: {deployments: [down, sim]}
          chat-failover: {deployments: [down-too, sim]}
          local-embeddings: {deployments: [local-minilm]}
        tenants:
          team: {keys: ["%s"]}
          other: {keys: ["%s"]}
        workers: {concurrency: 2, poll: 50ms}
        collections:
          docs: {embedding: local, seed: "builtin:sample-docs", owner: team}
        prompts:
          answer: {system: "Answer from the sources.", user: "{{input.question}}"}
        pipelines:
          ask:
            tenants: [team]
            stages:
              - {name: embed_question, type: embed, group: local-embeddings,
                 text: "{{input.question}}"}
              - {name: retrieve, type: retrieve, collection: docs, query: "{{input.question}}",
                 k: 3, vector_from: embed_question}
              - {name: context, type: assemble_context, group: failover, prompt: answer,
                 chunks: retrieve, conversation: "{{input.conversation_id}}"}
              - {name: answer, type: generate, group: failover, context: context}
              - name: remember
                type: memory_update
                conversation: "{{input.conversation_id}}"
                append:
                  - {role: user, content: "{{input.question}}"}
                  - {role: assistant, content: "{{stages.answer.text}}"}
        """
            .formatted(ConfigLoader.hashKey(KEY), ConfigLoader.hashKey(OTHER_KEY));
    BallastConfig config = ConfigLoader.parse("trace", yaml, Map.of());
    node =
        new PipelineGateway(
            Gateway.start(config.withServer(config.server().withDataDir(dir))), KEY);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private String ask(String conversation) {
    String run =
        node.submit(
            "ask",
            "{\"question\":\"" + QUESTION + "\",\"conversation_id\":\"" + conversation + "\"}");
    node.awaitState(run, "succeeded");
    node.gateway.journal().flush(Duration.ofSeconds(10));
    return run;
  }

  private static List<String> differing(JsonNode diff) {
    List<String> differing = new ArrayList<>();
    diff.get("rows")
        .forEach(
            r -> {
              if (!r.get("same").asBoolean()) {
                differing.add(r.get("scope").asText() + "." + r.get("field").asText());
              }
            });
    return differing;
  }

  private JsonNode trace(String run) {
    HttpResponse<String> r = node.get("/v1/ballast/runs/" + run + "/trace");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestGateway.json(r.body()).get("root");
  }

  @Test
  @Order(1) // before other runs open the breaker of the down deployment
  void aPipelineRunsTraceShowsStagesAttemptsCallsRetrievalMemoryAndContext() {
    String run = ask("trace-" + System.nanoTime());

    JsonNode root = trace(run);

    assertThat(root.get("kind").asText()).isEqualTo("pipeline");
    assertThat(root.get("name").asText()).isEqualTo("invoke_workflow ask");
    assertThat(root.get("status").asText()).isEqualTo("succeeded");
    assertThat(root.at("/attributes/generations/docs").asLong()).isEqualTo(1);
    assertThat(root.at("/attributes/memory_version").asLong()).isZero();
    assertThat(root.at("/attributes/pipeline_version").asText()).hasSize(12);
    assertThat(names(root.get("children")))
        .containsExactly("embed_question", "retrieve", "context", "answer", "remember");
    for (JsonNode stage : root.get("children")) {
      assertThat(stage.get("status").asText()).as(stage.toString()).isEqualTo("completed");
      JsonNode attempt = stage.get("children").get(0);
      assertThat(attempt.at("/attributes/worker").asText()).isNotBlank();
      assertThat(attempt.at("/attributes/queue_wait_ms").isNumber()).isTrue();
    }

    JsonNode retrieval = stage(root, "retrieve").get("children").get(0).get("children").get(0);
    assertThat(retrieval.get("kind").asText()).isEqualTo("retrieval");
    assertThat(retrieval.get("name").asText()).isEqualTo("retrieval docs");
    assertThat(retrieval.at("/attributes/generation").asLong()).isEqualTo(1);
    assertThat(retrieval.at("/attributes/chunks")).hasSize(3);
    assertThat(retrieval.at("/attributes/chunks/0/content_hash").asText()).hasSize(64);

    JsonNode answer = stage(root, "answer").get("children").get(0);
    assertThat(answer.at("/attributes/prompt_version").asText()).isNotBlank();
    JsonNode call = answer.get("children").get(0);
    assertThat(call.get("kind").asText()).isEqualTo("call");
    assertThat(call.get("status").asText()).isEqualTo("succeeded");
    assertThat(call.at("/attributes/run_id").asText()).startsWith(run + "/answer/");
    JsonNode attempts = call.get("children");
    // The first deployment answers 503: the group fails over to the healthy one before any retry.
    assertThat(attempts.findValuesAsText("deployment")).containsExactly("down", "sim");
    assertThat(attempts.findValuesAsText("decision")).containsExactly("failover:sim", "answered");
    assertThat(attempts.get(0).get("status").asText()).isEqualTo("server_error");
    assertThat(attempts.get(0).at("/attributes/http_status").asInt()).isEqualTo(503);
    assertThat(attempts.get(0).at("/attributes/breaker_state").asText()).isEqualTo("closed");
    assertThat(attempts.get(1).at("/attributes/output_tokens").asInt()).isPositive();

    JsonNode contextAttempt = stage(root, "context").get("children").get(0);
    assertThat(names(contextAttempt.get("children")))
        .hasSize(2)
        .first()
        .asString()
        .startsWith("memory read team/trace-");
    assertThat(contextAttempt.at("/children/0/attributes/version").asLong()).isZero();
    JsonNode context = contextAttempt.get("children").get(1);
    assertThat(context.get("kind").asText()).isEqualTo("context");
    assertThat(context.at("/attributes/tokenizer").asText()).isNotBlank();
    assertThat(context.at("/attributes/used").asInt()).isPositive();
    JsonNode remember = stage(root, "remember").get("children").get(0).get("children");
    assertThat(remember.findValuesAsText("kind")).containsExactly("effect", "memory_mutation");
    assertThat(remember.get(0).at("/attributes/target").asText()).isEqualTo("memory");
    JsonNode mutation = remember.get(1);
    assertThat(mutation.get("status").asText()).isEqualTo("applied");
    assertThat(mutation.at("/attributes/version_after").asLong()).isEqualTo(2);
    assertThat(root.at("/attributes/output_tokens").asInt())
        .isEqualTo(call.at("/attributes/output_tokens").asInt() + embedTokens(root, "output"));
    assertThat(root.at("/attributes/cost_usd").asDouble()).isPositive();
  }

  @Test
  void aGatewayCallsTraceShowsEachProviderAttemptAndWhyItMovedOn() {
    HttpResponse<String> chat =
        node.post("/v1/chat/completions", TestGateway.chat("chat-failover", false));
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    String run = chat.headers().firstValue("x-ballast-run-id").orElseThrow();
    node.gateway.journal().flush(Duration.ofSeconds(10));

    JsonNode root = trace(run);

    assertThat(root.get("kind").asText()).isEqualTo("call");
    assertThat(root.get("name").asText()).isEqualTo("chat chat-failover");
    assertThat(root.at("/attributes/deployment").asText()).isEqualTo("sim");
    assertThat(root.get("children").findValuesAsText("decision"))
        .containsExactly("failover:sim", "answered");
  }

  @Test
  void equalRunsDiffIdenticalAndANewGenerationIsTheFirstDivergence() {
    String first = ask("diff-a-" + System.nanoTime());
    String second = ask("diff-b-" + System.nanoTime());

    // The same question in two conversations: everything the runs did is the same, and the diff
    // names what differs, the input (its conversation_id) and the conversation.
    JsonNode same = diff(first, second);
    assertThat(same.get("identical").asBoolean()).as(same.toString()).isFalse();
    assertThat(differing(same))
        .as(same.toString())
        .containsExactly("run.input_hash", "run.conversation");
    assertThat(diff(first, first).get("identical").asBoolean()).isTrue();

    HttpResponse<String> ingested =
        node.post(
            "/v1/collections/docs/documents",
            """
            {"documents": [{"id": "lighthouse.md", "content_type": "text/markdown",
              "text": "# Lighthouse keeping\\n\\nThe keeper lights the lighthouse lamp at dusk."}]}
            """);
    assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(200);
    String third = ask("diff-c-" + System.nanoTime());

    JsonNode changed = diff(first, third);
    assertThat(changed.get("identical").asBoolean()).isFalse();
    JsonNode divergence = changed.get("first_divergence");
    assertThat(divergence.get("scope").asText()).isEqualTo("run");
    assertThat(divergence.get("field").asText()).isEqualTo("generations");
    assertThat(divergence.at("/a/docs").asLong()).isEqualTo(1);
    assertThat(divergence.at("/b/docs").asLong()).isEqualTo(2);
    assertThat(differing(changed))
        .contains(
            "retrieve.retrieval_generation", "retrieve.retrieved_chunks", "answer.output_digest")
        .doesNotContain("run.pipeline_version", "answer.prompt_version", "answer.deployment");
  }

  @Test
  void anotherTenantsRunIsNotFoundAndMissingParametersAreNamed() {
    String run = ask("private-" + System.nanoTime());

    HttpResponse<String> foreign = node.get("/v1/ballast/runs/" + run + "/trace", OTHER_KEY);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(foreign.body()).contains("run_not_found");
    assertThat(node.get("/v1/ballast/runs/prun_nope/trace").statusCode()).isEqualTo(404);
    HttpResponse<String> missing = node.get("/v1/ballast/diff?a=" + run);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(missing.body()).at("/error/param").asText()).isEqualTo("b");
    HttpResponse<String> unknown = node.get("/v1/ballast/diff?a=" + run + "&b=prun_nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestGateway.json(unknown.body()).at("/error/param").asText()).isEqualTo("b");
  }

  @Test
  void theRunListingFiltersByPipeline() {
    String run = ask("list-" + System.nanoTime());

    JsonNode listed = TestGateway.json(node.get("/v1/ballast/runs?pipeline=ask&limit=100").body());
    JsonNode none = TestGateway.json(node.get("/v1/ballast/runs?pipeline=nope").body());

    assertThat(listed.get("data").findValuesAsText("id")).contains(run);
    assertThat(listed.get("data").findValuesAsText("kind")).containsOnly("pipeline");
    assertThat(listed.get("data").findValuesAsText("operation")).containsOnly("ask");
    assertThat(none.get("data")).isEmpty();
  }

  private JsonNode diff(String a, String b) {
    HttpResponse<String> r =
        node.get(
            "/v1/ballast/diff?a="
                + URLEncoder.encode(a, StandardCharsets.UTF_8)
                + "&b="
                + URLEncoder.encode(b, StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestGateway.json(r.body());
  }

  private static int embedTokens(JsonNode root, String direction) {
    JsonNode attempt = stage(root, "embed_question").get("children").get(0);
    JsonNode call = attempt.get("children").get(0);
    return call == null ? 0 : call.at("/attributes/" + direction + "_tokens").asInt();
  }

  private static JsonNode stage(JsonNode root, String name) {
    for (JsonNode s : root.get("children")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no stage " + name + " in " + root);
  }

  private static List<String> names(JsonNode nodes) {
    List<String> names = new ArrayList<>();
    nodes.forEach(n -> names.add(n.get("name").asText()));
    return names;
  }
}
