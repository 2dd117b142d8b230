package dev.ballast.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import org.junit.jupiter.api.Test;

class ClientSchemasTest {
  private final ClientSchemas schemas = new ClientSchemas(ClientSchemas.DEFAULT_CACHE_CHARS);

  @Test
  void acceptsAValidSchemaAndValidatesWithIt() {
    var compiled =
        schemas.compile(
            json("{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{}}}"), "p");
    assertThat(compiled.validate(json("{\"a\":1}"))).isEmpty();
    assertThat(compiled.validate(json("{}"))).isNotEmpty();
  }

  @Test
  void acceptsRecursionThatDescendsIntoTheValue() {
    schemas.compile(
        json(
            "{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"next\":"
                + "{\"$ref\":\"#/$defs/node\"}}}},\"$ref\":\"#/$defs/node\"}"),
        "p");
  }

  @Test
  void acceptsReferencesByAnchorAndDraft07() {
    schemas.compile(
        json(
            "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"definitions\":{\"a\":"
                + "{\"type\":\"string\"}},\"properties\":{\"x\":{\"$ref\":\"#/definitions/a\"}}}"),
        "p");
    schemas.compile(
        json("{\"$defs\":{\"a\":{\"$anchor\":\"A\",\"type\":\"string\"}},\"$ref\":\"#A\"}"), "p");
  }

  @Test
  void refusesACycleThroughAnAnchorAndNamesIt() {
    assertThatThrownBy(
            () ->
                schemas.compile(
                    json("{\"$defs\":{\"a\":{\"$anchor\":\"A\",\"not\":{\"$ref\":\"#A\"}}}}"),
                    "param.x"))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("param.x")
        .hasMessageContaining("#/$defs/a");
  }

  @Test
  void refusesASchemaLongerThanTheBound() {
    String big = "{\"description\":\"" + "x".repeat(ClientSchemas.MAX_SCHEMA_CHARS) + "\"}";
    assertThatThrownBy(() -> schemas.compile(json(big), "p"))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("characters long");
  }

  @Test
  void refusesNestingDeeperThanTheBound() {
    String deep =
        "{\"items\":".repeat(ClientSchemas.MAX_NESTING)
            + "{}"
            + "}".repeat(ClientSchemas.MAX_NESTING);
    assertThatThrownBy(() -> schemas.compile(json(deep), "p"))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("nests deeper");
  }

  @Test
  void theCacheStaysWithinItsBoundInCharacters() {
    ClientSchemas small = new ClientSchemas(200);
    for (int i = 0; i < 50; i++) {
      small.compile(json("{\"type\":\"object\",\"title\":\"schema number " + i + "\"}"), "p");
    }
    long[] size = small.cacheSize();
    assertThat(size[1]).isLessThanOrEqualTo(200);
    assertThat(size[0]).isPositive();
  }

  @Test
  void aCachedSchemaIsReturnedWithoutRecompiling() {
    JsonNode schema = json("{\"type\":\"string\"}");
    assertThat(schemas.compile(schema, "p")).isSameAs(schemas.compile(schema, "p"));
  }

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
