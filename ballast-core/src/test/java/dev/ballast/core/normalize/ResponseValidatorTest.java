package dev.ballast.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseValidatorTest {
  private final ResponseValidator validator = new ResponseValidator();

  private static ChatRequest schemaRequest() throws Exception {
    JsonNode schema =
        Json.mapper()
            .readTree(
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    ChatRequest base = ChatRequest.of("m", List.of(Message.text(Role.USER, "where?")));
    return new ChatRequest(
        "m",
        base.messages(),
        null,
        null,
        new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "place", schema, true),
        null,
        null,
        null,
        null,
        false,
        null);
  }

  private static ChatResponse answer(String text, Usage usage) {
    return new ChatResponse(
        "id",
        "m",
        null,
        Message.text(Role.ASSISTANT, text),
        FinishReason.STOP,
        usage,
        List.of(),
        text);
  }

  @Test
  void unwrapsFencedJsonAndRecordsTheRepair() throws Exception {
    ChatResponse result =
        validator.validate(
            schemaRequest(), answer("```json\n{\"city\":\"Oslo\"}\n```", Usage.ZERO));

    assertThat(result.message().text()).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(result.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.FENCED_JSON_UNWRAPPED);
  }

  @Test
  void outputNotMatchingTheSchemaIsAFormatViolationNamingTheFirstProblem() {
    assertThatThrownBy(
            () -> validator.validate(schemaRequest(), answer("{\"town\":\"Oslo\"}", Usage.ZERO)))
        .isInstanceOfSatisfying(
            FormatViolation.class,
            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.FORMAT_VIOLATION))
        .hasMessageContaining("does not match the response_format schema \"place\"")
        .hasMessageContaining("city");
  }

  @Test
  void outputThatIsNotJsonIsAFormatViolation() {
    assertThatThrownBy(
            () -> validator.validate(schemaRequest(), answer("Oslo, I think", Usage.ZERO)))
        .isInstanceOf(FormatViolation.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void toolArgumentsThatAreNotJsonAreAFormatViolation() {
    Message call =
        new Message(
            Role.ASSISTANT,
            List.of(),
            null,
            List.of(new ToolCall("c1", "lookup", "{city: Oslo")),
            null);
    ChatResponse response =
        new ChatResponse("id", "m", null, call, FinishReason.TOOL_CALLS, Usage.ZERO, List.of(), "");

    assertThatThrownBy(
            () ->
                validator.validate(
                    ChatRequest.of("m", List.of(Message.text(Role.USER, "x"))), response))
        .isInstanceOf(FormatViolation.class)
        .hasMessageContaining("tool call \"lookup\" arguments are not valid JSON");
  }

  @Test
  void missingUsageIsCountedLocallyAndMarkedEstimated() {
    ChatRequest request =
        ChatRequest.of("m", List.of(Message.text(Role.USER, "Hello there, how are you?")));

    ChatResponse result = validator.validate(request, answer("I am fine, thank you.", null));

    assertThat(result.usage().estimated()).isTrue();
    assertThat(result.usage().inputTokens()).isGreaterThan(6);
    assertThat(result.usage().outputTokens())
        .isEqualTo(TokenCounter.count("I am fine, thank you."));
    assertThat(result.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.USAGE_ESTIMATED);
  }

  @Test
  void plainTextAnswersPassUnchanged() {
    ChatRequest request = ChatRequest.of("m", List.of(Message.text(Role.USER, "hi")));
    ChatResponse response = answer("hello", new Usage(1, 1, 0, 0, false));

    assertThat(validator.validate(request, response)).isEqualTo(response);
  }
}
