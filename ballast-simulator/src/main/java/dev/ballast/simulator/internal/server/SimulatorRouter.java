package dev.ballast.simulator.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.simulator.Attempt;
import dev.ballast.simulator.InvalidSpecException;
import dev.ballast.simulator.internal.AttemptLog;
import dev.ballast.simulator.internal.PlannedFailure;
import dev.ballast.simulator.internal.Planner;
import dev.ballast.simulator.internal.http.HttpExchange;
import dev.ballast.simulator.internal.http.HttpHandler;
import dev.ballast.simulator.internal.http.HttpRequest;
import dev.ballast.simulator.internal.wire.AnthropicWire;
import dev.ballast.simulator.internal.wire.OllamaWire;
import dev.ballast.simulator.internal.wire.OpenAiWire;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Routes requests to the wire formats and the {@code /_sim} admin endpoints. */
public final class SimulatorRouter implements HttpHandler {
  private final OpenAiWire openAi = new OpenAiWire();
  private final AnthropicWire anthropic = new AnthropicWire();
  private final OllamaWire ollama = new OllamaWire();
  private final Planner engine;
  private final AttemptLog log;
  private final Endpoints endpoints;
  private final ModelInPathRoutes providerRoutes;

  public SimulatorRouter(Planner engine, AttemptLog log) {
    this.engine = engine;
    this.log = log;
    this.endpoints = new Endpoints(engine, log);
    this.providerRoutes = new ModelInPathRoutes(endpoints);
  }

  @Override
  public void handle(HttpRequest request, HttpExchange exchange)
      throws IOException, InterruptedException {
    if ("POST".equals(request.method()) && providerRoutes.handle(request, exchange)) {
      return;
    }
    switch (request.method() + " " + request.path()) {
      case "POST /v1/chat/completions" -> endpoints.chat(request, exchange, openAi);
      case "POST /v1/embeddings" -> endpoints.embed(request, exchange, openAi);
      case "GET /v1/models" -> Replies.json(exchange, 200, endpoints.models());
      case "POST /v1/messages" -> endpoints.chat(request, exchange, anthropic);
      case "POST /api/chat" -> endpoints.chat(request, exchange, ollama);
      case "POST /api/embed" -> endpoints.embed(request, exchange, ollama);
      case "GET /_sim/attempts" -> Replies.json(exchange, 200, attempts(request));
      case "POST /_sim/switch" -> switchBehaviour(request, exchange);
      case "GET /_sim/switches" ->
          Replies.json(
              exchange,
              200,
              Json.mapper().writeValueAsString(Map.of("switches", engine.switches().all())));
      case "POST /_sim/reset" -> {
        engine.reset();
        log.clear();
        Replies.json(exchange, 200, "{\"reset\":true}");
      }
      default -> notFound(request, exchange);
    }
  }

  private String attempts(HttpRequest request) throws JsonProcessingException {
    String model = request.queryParam("model");
    List<Attempt> attempts = model == null ? log.all() : log.forModel(model);
    return Json.mapper().writeValueAsString(Map.of("count", attempts.size(), "attempts", attempts));
  }

  /**
   * {@code POST /_sim/switch} with {@code {"model": NAME, "directives": "refusal=0.2,..."}}: from
   * the next request on, the model (exactly, by its name before the colon, or {@code *} for every
   * model) behaves as its current phase plus these directives; empty directives switch back.
   */
  private void switchBehaviour(HttpRequest request, HttpExchange exchange) throws IOException {
    JsonNode body;
    try {
      body = Json.mapper().readTree(request.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject() || !body.path("model").isTextual()) {
      Replies.failure(
          exchange,
          openAi,
          PlannedFailure.invalidRequest(
              PlannedFailure.Kind.INVALID_REQUEST,
              "expected {\"model\": NAME or \"*\", \"directives\": \"...\"}"));
      return;
    }
    String model = body.get("model").asText();
    String directives = body.path("directives").asText("");
    try {
      engine.switches().set(model, directives);
    } catch (InvalidSpecException e) {
      Replies.failure(
          exchange,
          openAi,
          PlannedFailure.invalidRequest(PlannedFailure.Kind.INVALID_SPEC, e.getMessage()));
      return;
    }
    Replies.json(
        exchange,
        200,
        Json.mapper()
            .writeValueAsString(
                Map.of("model", model, "directives", directives.strip(), "switched", true)));
  }

  private void notFound(HttpRequest request, HttpExchange exchange) throws IOException {
    PlannedFailure failure =
        new PlannedFailure(
            404,
            PlannedFailure.Kind.INVALID_REQUEST,
            null,
            "Unknown endpoint " + request.method() + " " + request.path());
    Replies.failure(exchange, openAi, failure);
  }
}
