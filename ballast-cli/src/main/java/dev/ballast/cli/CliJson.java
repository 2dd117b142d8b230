package dev.ballast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.ballast.core.Json;

/**
 * The JSON the CLI prints with {@code --json}: field names in snake_case, as in every Ballast HTTP
 * response, so a script reads the same names from {@code ballast diff --json} and {@code GET
 * /v1/ballast/diff}. Map keys are data and kept as written.
 */
final class CliJson {
  private static final ObjectMapper SNAKE =
      Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private CliJson() {}

  static String pretty(Object value) throws JsonProcessingException {
    return SNAKE.writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }

  static com.fasterxml.jackson.databind.node.ObjectNode tree(Object value) {
    return SNAKE.valueToTree(value);
  }

  static String compact(Object value) throws JsonProcessingException {
    return SNAKE.writeValueAsString(value);
  }
}
