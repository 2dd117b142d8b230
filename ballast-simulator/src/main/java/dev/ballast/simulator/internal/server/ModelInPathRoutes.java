package dev.ballast.simulator.internal.server;

import dev.ballast.simulator.internal.PlannedFailure;
import dev.ballast.simulator.internal.http.HttpExchange;
import dev.ballast.simulator.internal.http.HttpRequest;
import dev.ballast.simulator.internal.wire.AzureOpenAiWire;
import dev.ballast.simulator.internal.wire.ChatWire;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The wire formats that name the model in the URL rather than in the body: Azure OpenAI ({@code
 * /openai/deployments/D/chat/completions}). Each request gets a wire bound to the model its path
 * names; the authentication each format requires is checked before the request counts as an
 * attempt, because a real provider refuses it before any model sees it.
 */
final class ModelInPathRoutes {
  private static final String AZURE = "/openai/deployments/";

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
