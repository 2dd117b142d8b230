package dev.ballast.simulator.internal.server;

import dev.ballast.simulator.internal.PlannedFailure;
import dev.ballast.simulator.internal.http.HttpExchange;
import dev.ballast.simulator.internal.http.HttpRequest;
import dev.ballast.simulator.internal.wire.AzureOpenAiWire;
import dev.ballast.simulator.internal.wire.BedrockWire;
import dev.ballast.simulator.internal.wire.ChatWire;
import dev.ballast.simulator.internal.wire.GeminiWire;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The wire formats that name the model in the URL rather than in the body: Azure OpenAI ({@code
 * /openai/deployments/D/chat/completions}), Gemini ({@code /v1beta/models/M:generateContent}) and
 * Bedrock ({@code /model/M/converse}). Each request gets a wire bound to the model its path names;
 * the authentication each format requires is checked before the request counts as an attempt,
 * because a real provider refuses it before any model sees it.
 */
final class ModelInPathRoutes {
  private static final String AZURE = "/openai/deployments/";
  private static final String GEMINI = "/v1beta/models/";
  private static final String BEDROCK = "/model/";

  private final Endpoints endpoints;

  ModelInPathRoutes(Endpoints endpoints) {
    this.endpoints = endpoints;
  }

  /** Handles a POST whose path belongs to one of these formats; false when none matches. */
  boolean handle(HttpRequest request, HttpExchange exchange)
      throws IOException, InterruptedException {
    String path = request.path();
    if (path.startsWith(AZURE)) {
      azure(request, exchange, path.substring(AZURE.length()));
      return true;
    }
    if (path.startsWith(GEMINI)) {
      gemini(request, exchange, path.substring(GEMINI.length()));
      return true;
    }
    if (path.startsWith(BEDROCK)) {
      bedrock(request, exchange, path.substring(BEDROCK.length()));
      return true;
    }
    return false;
  }

  private void azure(HttpRequest request, HttpExchange exchange, String rest)
      throws IOException, InterruptedException {
    int slash = rest.indexOf('/');
    String operation = slash < 0 ? "" : rest.substring(slash + 1);
    AzureOpenAiWire wire = new AzureOpenAiWire(slash < 0 ? "" : segment(rest.substring(0, slash)));
    if (request.queryParam("api-version") == null) {
      refuse(exchange, wire, 400, "Missing required query parameter 'api-version'.");
    } else if (request.header("api-key") == null) {
      refuse(exchange, wire, 401, "Access denied due to a missing api-key header.");
    } else if (operation.equals("chat/completions")) {
      endpoints.chat(request, exchange, wire);
    } else if (operation.equals("embeddings")) {
      endpoints.embed(request, exchange, wire);
    } else {
      refuse(exchange, wire, 404, "Unknown Azure OpenAI operation \"" + operation + "\".");
    }
  }

  /**
   * {@code MODEL:method}; the model's own colons arrive percent-encoded, so the last one splits.
   */
  private void gemini(HttpRequest request, HttpExchange exchange, String rest)
      throws IOException, InterruptedException {
    int colon = rest.lastIndexOf(':');
    String method = colon < 0 ? "" : rest.substring(colon + 1);
    String model = segment(colon < 0 ? rest : rest.substring(0, colon));
    boolean batch = method.equals("batchEmbedContents");
    GeminiWire wire = new GeminiWire(model, method.equals("streamGenerateContent"), batch);
    if (request.header("x-goog-api-key") == null && request.queryParam("key") == null) {
      refuse(exchange, wire, 403, "Method doesn't allow unregistered callers.");
      return;
    }
    switch (method) {
      case "generateContent", "streamGenerateContent" -> endpoints.chat(request, exchange, wire);
      case "embedContent", "batchEmbedContents" -> endpoints.embed(request, exchange, wire);
      default -> refuse(exchange, wire, 404, "Unknown Gemini method \"" + method + "\".");
    }
  }

  /**
   * {@code MODEL/converse} or {@code MODEL/converse-stream}; the model's own slashes and colons
   * arrive percent-encoded. A request without a well-formed SigV4 signature is refused as AWS
   * refuses it; the signature itself is not checked, since the simulator knows no secret key.
   */
  private void bedrock(HttpRequest request, HttpExchange exchange, String rest)
      throws IOException, InterruptedException {
    int slash = rest.lastIndexOf('/');
    String operation = slash < 0 ? "" : rest.substring(slash + 1);
    boolean stream = operation.equals("converse-stream");
    BedrockWire wire =
        new BedrockWire(segment(slash < 0 ? rest : rest.substring(0, slash)), stream);
    String problem = SigV4Shape.problem(request);
    if (problem != null) {
      refuse(exchange, wire, 403, problem);
    } else if (stream || operation.equals("converse")) {
      endpoints.chat(request, exchange, wire);
    } else {
      refuse(exchange, wire, 404, "Unknown Bedrock operation \"" + operation + "\".");
    }
  }

  private static void refuse(HttpExchange exchange, ChatWire wire, int status, String message)
      throws IOException {
    Replies.failure(
        exchange, wire, new PlannedFailure(status, PlannedFailure.Kind.STATUS, null, message));
  }

  /** One path segment, percent-decoded ({@code +} is a plus sign in a path, not a space). */
  static String segment(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
