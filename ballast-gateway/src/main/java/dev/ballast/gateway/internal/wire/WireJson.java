package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.ballast.core.Json;

/**
 * Records written into Ballast's own JSON responses. Every Ballast response names its fields in
 * snake_case, as the OpenAI and Anthropic APIs it sits beside do; Java records name theirs in
 * camelCase, so they go through this mapper rather than {@link Json#mapper()}. Map keys (attribute
 * names, tenant names, stage names) are data and are kept as they are.
 */
public final class WireJson {
  private static final ObjectMapper SNAKE =
      Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private WireJson() {}

  /** The tree of {@code value} with snake_case field names; its own type when it is a node. */
  @SuppressWarnings("unchecked")
  public static <T extends JsonNode> T tree(Object value) {
    return SNAKE.valueToTree(value);
  }
}
