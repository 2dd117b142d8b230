package dev.ballast.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the gateway's JSON into the client's records. Lenient by design: a missing or null field
 * becomes null (or 0, or empty), unknown fields are ignored, so the client and the gateway can be
 * upgraded independently.
 */
final class Wire {
  static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Wire() {}

  static PipelineRun run(JsonNode n, boolean replayed) {
    List<PipelineRun.Stage> stages = new ArrayList<>();
    for (JsonNode s : array(n.get("stages"))) {
      stages.add(
          new PipelineRun.Stage(
              text(s, "name"),
              integer(s, "index"),
              text(s, "type"),
              text(s, "state"),
              integer(s, "attempts"),
              json(s, "output"),
              text(s, "error"),
              text(s, "error_class")));
    }
    return new PipelineRun(
        text(n, "id"),
        text(n, "pipeline"),
        text(n, "version"),
        text(n, "tenant"),
        PipelineRun.State.parse(text(n, "state")),
        integer(n, "priority"),
        integer(n, "stage_index"),
        text(n, "current_stage"),
        integer(n, "attempts"),
        text(n, "waiting_on"),
        text(n, "failed_stage"),
        text(n, "error"),
        json(n, "input"),
        json(n, "output"),
        instant(n, "enqueued_at"),
        instant(n, "updated_at"),
        text(n, "lease_owner"),
        stages,
        replayed);
  }

  static PipelineInfo pipeline(JsonNode n) {
    List<PipelineInfo.Stage> stages = new ArrayList<>();
    for (JsonNode s : array(n.get("stages"))) {
      JsonNode timeout = s.get("timeout_ms");
      stages.add(
          new PipelineInfo.Stage(
              text(s, "name"),
              text(s, "type"),
              timeout != null && timeout.isNumber() ? Duration.ofMillis(timeout.asLong()) : null,
              integer(s, "max_attempts"),
              text(s, "dependency"),
              s.path("effectful").asBoolean(false)));
    }
    return new PipelineInfo(
        text(n, "name"),
        text(n, "version"),
        text(n, "description"),
        integer(n, "max_concurrent"),
        integer(n, "priority"),
        stages);
  }

  /**
   * The items of a list response: {@code {"data":[...]}} as the gateway's other lists are, or a
   * bare array, or the array under {@code alternative}; null when the body is none of these.
   */
  static JsonNode items(JsonNode body, String alternative) {
    if (body.isArray()) {
      return body;
    }
    for (String field : new String[] {"data", alternative}) {
      JsonNode list = body.get(field);
      if (list != null && list.isArray()) {
        return list;
      }
    }
    return null;
  }

  private static Iterable<JsonNode> array(JsonNode node) {
    return node != null && node.isArray() ? node : List.of();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
  }

  private static int integer(JsonNode n, String field) {
    return n.path(field).asInt(0);
  }

  private static JsonNode json(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v;
  }

  /** ISO-8601 text or epoch milliseconds; null for anything else. */
  private static Instant instant(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return Instant.ofEpochMilli(v.asLong());
    }
    try {
      return Instant.parse(v.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
