package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.gateway.ConfigReload;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /v1/ballast/config/reload} (administrators): reads the node's configuration file
 * again and swaps it in when it is valid and changes only what a running node can take over. 200
 * with the versions before and after; 400 {@code config_invalid} with every error and its path (the
 * running version is untouched); 409 {@code config_restart_needed} naming each setting that needs a
 * restart (nothing is applied), or {@code config_reload_unavailable} for a node started without a
 * file.
 */
public final class ConfigApi {
  private final Supplier<ConfigReload> reloader;

  public ConfigApi(Supplier<ConfigReload> reloader) {
    this.reloader = reloader;
  }

  JsonNode reload(Caller caller, ServerRequest req, ServerResponse res) {
    Roles.requireAdmin(caller, "Reloading the configuration");
    ConfigReload reload = reloader.get();
    ObjectNode body = body(reload);
    switch (reload.outcome()) {
      case APPLIED, UNCHANGED -> {
        return body;
      }
      case INVALID ->
          error(
              body,
              "config_invalid",
              "The configuration file has "
                  + reload.errors().size()
                  + " error(s); version "
                  + reload.version()
                  + " keeps running: "
                  + String.join("; ", reload.errors()));
      case RESTART_NEEDED ->
          error(
              body,
              "config_restart_needed",
              "The configuration changes settings a running node cannot take over ("
                  + String.join(", ", reload.restartNeeded())
                  + "); nothing was applied. Restart the node to apply them, or revert them to"
                  + " reload the rest.");
      case UNAVAILABLE ->
          error(
              body,
              "config_reload_unavailable",
              "This node was started without a configuration file (built-in default or an"
                  + " embedded configuration): there is nothing to read again.");
    }
    HttpApi.sendJson(res, status(reload.outcome()), body);
    return null;
  }

  private static int status(ConfigReload.Outcome outcome) {
    return outcome == ConfigReload.Outcome.INVALID ? 400 : 409;
  }

  private static ObjectNode body(ConfigReload reload) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("object", "config.reload");
    body.put("outcome", reload.outcome().wireName());
    body.put("previous_version", reload.previousVersion());
    body.put("version", reload.version());
    body.put("loaded_at", reload.loadedAt().toString());
    strings(body, "errors", reload.errors());
    strings(body, "restart_needed", reload.restartNeeded());
    return body;
  }

  private static void error(ObjectNode body, String code, String message) {
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", "invalid_request_error");
    error.putNull("param");
    error.put("code", code);
    error.set("errors", body.get("errors").deepCopy());
    error.set("restart_needed", body.get("restart_needed").deepCopy());
  }

  private static void strings(ObjectNode body, String field, List<String> values) {
    values.forEach(body.putArray(field)::add);
  }
}
