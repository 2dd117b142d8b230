package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.state.MemoryEntry;
import dev.ballast.core.state.MemoryView;
import dev.ballast.core.state.StatePins;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.WireJson;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;

/**
 * {@code GET /v1/conversations/{id}/memory}: a conversation's memory as of a version (the latest
 * without {@code ?version=N}) and the mutations that made it. Conversations are the caller's
 * tenant's own: another tenant's conversation of the same id is a different one.
 */
public final class ConversationsApi {
  private final MemoryStore memory;

  public ConversationsApi(MemoryStore memory) {
    this.memory = memory;
  }

  JsonNode memory(Caller caller, ServerRequest req) {
    TenantConfig tenant = caller.tenant();
    String id = req.path().pathParameters().get("id");
    String key = StatePins.conversationKey(tenant.name(), id);
    long latest = memory.currentVersion(key);
    long version = req.query().contains("version") ? version(req.query().get("version")) : latest;
    if (version > latest) {
      throw new ApiError(
          404,
          "invalid_request_error",
          "version_not_found",
          "version",
          "Conversation '"
              + id
              + "' is at version "
              + latest
              + "; it has no version "
              + version
              + ".");
    }
    List<MemoryEntry> history = memory.history(key, version);
    MemoryView view = MemoryView.of(key, history);
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "conversation.memory");
    root.put("conversation", id);
    root.put("version", version);
    root.put("latest_version", latest);
    root.put("summary", view.summary());
    root.put("summary_through", view.summaryThrough());
    root.set("facts", WireJson.tree(view.facts()));
    ArrayNode turns = root.putArray("turns");
    view.turns()
        .forEach(
            t ->
                turns
                    .addObject()
                    .put("version", t.version())
                    .put("role", t.role())
                    .put("content", t.content()));
    ArrayNode mutations = root.putArray("history");
    for (MemoryEntry e : history) {
      ObjectNode m = mutations.addObject();
      m.put("version", e.version());
      m.put("at", e.at().toString());
      m.set("mutation", WireJson.tree(e.mutation()));
      m.put("effect_key", e.effectKey());
    }
    return root;
  }

  private static long version(String text) {
    try {
      long v = Long.parseLong(text.trim());
      if (v < 0) {
        throw ApiError.invalid("version", "version must be 0 or more, but was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiError.invalid("version", "version must be a whole number, but was '" + text + "'");
    }
  }
}
