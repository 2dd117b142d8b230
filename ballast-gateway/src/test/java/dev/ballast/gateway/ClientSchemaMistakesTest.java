package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schemas and tool names a client sends are checked when the request is read: each of these was a
 * 500 (the validator failed), a 502 {@code upstream_format_error} (no answer could have matched,
 * and the provider was blamed), or a leaked slot (a self-reference overflowed the stack).
 */
class ClientSchemaMistakesTest {
  private static final String RESPONSE_SCHEMA = "response_format.json_schema.schema";

  @TempDir static Path dataDir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = new TestGateway(dataDir);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  static Stream<Arguments> schemas() {
    return Stream.of(
        Arguments.of("refers to itself", "{\"$ref\":\"#\"}", "applies itself"),
        Arguments.of(
            "a cycle through $defs",
            "{\"$defs\":{\"a\":{\"allOf\":[{\"$ref\":\"#/$defs/b\"}]},\"b\":{\"$ref\":\"#/$defs/a\"}},"
                + "\"$ref\":\"#/$defs/a\"}",
            "applies itself"),
        Arguments.of(
            "$ref to a URL", "{\"$ref\":\"https://example.com/s.json\"}", "outside the schema"),
        Arguments.of("$ref that does not resolve", "{\"$ref\":\"#/$defs/nope\"}", "resolve"),
        Arguments.of("$dynamicRef", "{\"$dynamicRef\":\"#meta\"}", "$dynamicRef"),
        Arguments.of("unknown $schema", "{\"$schema\":\"https://example.com/x\"}", "$schema"),
        Arguments.of("invalid pattern", "{\"type\":\"string\",\"pattern\":\"(\"}", "regular"),
        Arguments.of("allOf is not a list", "{\"allOf\":5}", "valid JSON Schema"),
        Arguments.of("type is a number", "{\"type\":12}", "valid JSON Schema"),
        Arguments.of("empty enum", "{\"enum\":[]}", "enum"),
        Arguments.of("negative maxLength", "{\"maxLength\":-1}", "valid JSON Schema"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemas")
  void aResponseSchemaTheGatewayCannotUseIsA400NamingIt(String name, String schema, String says) {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, withSchema(schema));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    var error = json(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo(RESPONSE_SCHEMA);
    assertThat(error.get("message").asText()).contains(says);
  }

  @Test
  void aRecursiveTreeSchemaIsAccepted() {
    String tree =
        "{\"type\":\"object\",\"properties\":{\"children\":{\"type\":\"array\","
            + "\"items\":{\"$ref\":\"#\"}}}}";
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, withSchema(tree));

    // The simulator's answer is not this JSON, so the request fails as a format violation: what
    // matters here is that the schema itself was accepted.
    assertThat(response.statusCode()).as(response.body()).isNotEqualTo(400);
  }

  @Test
  void aToolWithAnEmptyNameIsA400() {
    String body =
        "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"\"}}]}";
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/param").asText())
        .isEqualTo("tools[0].function.name");
  }

  @Test
  void aToolWhoseParametersAreNotASchemaIsA400() {
    String body =
        "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#\"}},"
            + "\"allOf\":[{\"$ref\":\"#\"}]}}}]}";
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/param").asText())
        .isEqualTo("tools[0].function.parameters");
  }

  @Test
  void anAnthropicToolWithAnInvalidInputSchemaIsA400() {
    String body =
        "{\"model\":\"default\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
            + "\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":12}}]}";
    HttpResponse<String> response = gw.post("/v1/messages", KEY, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("tools.0.input_schema");
  }

  private static String withSchema(String schema) {
    return "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\","
        + "\"schema\":"
        + schema
        + "}}}";
  }
}
