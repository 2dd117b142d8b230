package dev.ballast.simulator.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.simulator.Attempt;
import dev.ballast.simulator.internal.Answer;
import dev.ballast.simulator.internal.AnswerFactory;
import dev.ballast.simulator.internal.AttemptLog;
import dev.ballast.simulator.internal.Embeddings;
import dev.ballast.simulator.internal.Plan;
import dev.ballast.simulator.internal.PlannedFailure;
import dev.ballast.simulator.internal.Planner;
import dev.ballast.simulator.internal.http.HttpExchange;
import dev.ballast.simulator.internal.http.HttpRequest;
import dev.ballast.simulator.internal.wire.ChatWire;
import dev.ballast.simulator.internal.wire.EmbedWire;
import dev.ballast.simulator.internal.wire.ParsedChat;
import dev.ballast.simulator.internal.wire.Render;
import java.io.IOException;
import java.util.List;

/** The chat and embedding endpoints, shared by all wire formats. */
final class Endpoints {
  private final Planner engine;
  private final AttemptLog log;

  Endpoints(Planner engine, AttemptLog log) {
    this.engine = engine;
    this.log = log;
  }

  void chat(HttpRequest request, HttpExchange exchange, ChatWire wire)
      throws IOException, InterruptedException {
    ParsedChat chat;
    try {
      chat = wire.parse(readJson(request));
    } catch (IllegalArgumentException | IOException e) {
      badRequest(request, exchange, wire, e);
      return;
    }
    Plan plan = engine.plan(chat.request().model());
    record(wire, request, plan, chat.stream());
    if (Replies.faultOrFailure(exchange, wire, plan)) {
      return;
    }
    List<Message> messages = chat.request().messages();
    if (plan.spec().rejectPrefill()
        && !messages.isEmpty()
        && messages.getLast().role() == Role.ASSISTANT) {
      Replies.failure(
          exchange,
          wire,
          PlannedFailure.invalidRequest(
              PlannedFailure.Kind.INVALID_REQUEST,
              "assistant prefill not supported: the conversation must end with a user message"));
      return;
    }
    Answer answer = AnswerFactory.answer(chat.request(), plan);
    Render render = Render.of(plan, engine.clock().instant());
    if (chat.stream()) {
      AnswerPlayer.stream(exchange, wire.stream(answer, render, chat), plan.spec());
    } else {
      AnswerPlayer.body(exchange, wire.response(answer, render), plan.spec());
    }
  }

  void embed(HttpRequest request, HttpExchange exchange, EmbedWire wire)
      throws IOException, InterruptedException {
    EmbeddingRequest embed;
    try {
      embed = wire.parseEmbedding(readJson(request));
    } catch (IllegalArgumentException | IOException e) {
      badRequest(request, exchange, wire, e);
      return;
    }
    Plan plan = engine.plan(embed.model());
    record(wire, request, plan, false);
    if (Replies.faultOrFailure(exchange, wire, plan)) {
      return;
    }
    List<float[]> vectors =
        embed.input().stream().map(t -> Embeddings.embed(t, embed.dimensions())).toList();
    int tokens = embed.input().stream().mapToInt(Embeddings::tokens).sum();
    Replies.json(exchange, 200, wire.embeddingResponse(plan.model(), vectors, tokens));
  }

  private void badRequest(HttpRequest request, HttpExchange exchange, ChatWire wire, Exception e)
      throws IOException {
    PlannedFailure failure =
        PlannedFailure.invalidRequest(
            PlannedFailure.Kind.INVALID_REQUEST, "invalid request: " + e.getMessage());
    log.record(
        new Attempt(
            engine.clock().instant(), wire.api(), request.path(), null, false, failure.logName()));
    Replies.failure(exchange, wire, failure);
  }

  private void record(ChatWire wire, HttpRequest request, Plan plan, boolean stream) {
    log.record(
        new Attempt(
            engine.clock().instant(),
            wire.api(),
            request.path(),
            plan.model(),
            stream,
            plan.logOutcome()));
  }

  private static JsonNode readJson(HttpRequest request) throws IOException {
    JsonNode node = Json.mapper().readTree(request.body());
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    return node;
  }

  /** {@code GET /v1/models}: the default model and every profile. */
  String models() {
    ObjectNode root = Json.mapper().createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    data.addObject()
        .put("id", Planner.DEFAULT_MODEL)
        .put("object", "model")
        .put("created", 0)
        .put("owned_by", "ballast-simulator");
    engine
        .profiles()
        .keySet()
        .forEach(
            name ->
                data.addObject()
                    .put("id", name)
                    .put("object", "model")
                    .put("created", 0)
                    .put("owned_by", "ballast-simulator"));
    return root.toString();
  }
}
