package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /v1/responses} over real sockets, answered by the simulator through the chain. */
class ResponsesApiTest {
  private static final String WEATHER_TOOL =
      """
      {"type":"function","name":"get_weather","description":"Weather for a city",
       "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""";

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

  /** One server-sent event: its name and its data. */
  record Sse(String event, JsonNode data) {}

  static List<Sse> events(String body) {
    List<Sse> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String name = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data != null) {
        events.add(new Sse(name, json(data)));
      }
    }
    return events;
  }

  private static List<JournalEntry> journal(HttpResponse<?> response) {
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    assertThat(gw.gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
    return gw.gateway.store().journal().events(runId);
  }

  private static HttpResponse<String> create(String body) {
    return gw.post("/v1/responses", KEY, body);
  }

  @Test
  void answersAStringInputAsAResponseObjectAndJournalsTheRunAsAResponsesCall() {
    HttpResponse<String> response =
        create(
            """
            {"model":"default","instructions":"Be brief.","input":"hello responses",
             "metadata":{"ticket":"42"}}""");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response.body());
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    assertThat(body.get("id").asText()).isEqualTo("resp_" + runId);
    assertThat(body.get("object").asText()).isEqualTo("response");
    assertThat(body.get("status").asText()).isEqualTo("completed");
    assertThat(body.get("created_at").asLong()).isPositive();
    assertThat(body.at("/metadata/ticket").asText()).isEqualTo("42");
    assertThat(body.get("instructions").asText()).isEqualTo("Be brief.");
    JsonNode message = body.at("/output/0");
    assertThat(message.get("type").asText()).isEqualTo("message");
    assertThat(message.get("role").asText()).isEqualTo("assistant");
    assertThat(message.at("/content/0/type").asText()).isEqualTo("output_text");
    assertThat(message.at("/content/0/text").asText()).contains("hello responses");
    assertThat(message.at("/content/0/annotations")).isEmpty();
    JsonNode usage = body.get("usage");
    assertThat(usage.get("input_tokens").asInt()).isPositive();
    assertThat(usage.get("output_tokens").asInt()).isPositive();
    assertThat(usage.get("total_tokens").asInt())
        .isEqualTo(usage.get("input_tokens").asInt() + usage.get("output_tokens").asInt());
    assertThat(usage.at("/input_tokens_details/cached_tokens").isInt()).isTrue();
    assertThat(usage.at("/output_tokens_details/reasoning_tokens").isInt()).isTrue();
    List<JournalEntry> events = journal(response);
    assertThat(events)
        .extracting(e -> e.event().typeName())
        .containsExactly("RunStarted", "ProviderAttempt", "RunCompleted");
    assertThat(((JournalEvent.RunStarted) events.getFirst().event()).api())
        .isEqualTo("openai.responses");
    assertThat(json(gw.get("/v1/ballast/runs?limit=100", KEY).body()).get("data"))
        .anySatisfy(run -> assertThat(run.get("id").asText()).isEqualTo(runId));
  }

  @Test
  void mapsInputItemsAndAFunctionCallOutputOntoTheConversation() {
    HttpResponse<String> response =
        create(
            """
            {"model":"default","tools":[%s],"input":[
              {"role":"user","content":[{"type":"input_text","text":"Weather in Oslo?"}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather",
               "arguments":"{\\"city\\":\\"Oslo\\"}"},
              {"type":"function_call_output","call_id":"call_1","output":"sunny, 21 C"}]}"""
                .formatted(WEATHER_TOOL));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response.body());
    // The last message is the tool's, so the simulator answers in text rather than call again.
    assertThat(body.at("/output/0/type").asText()).isEqualTo("message");
    assertThat(body.at("/output/0/content/0/text").asText()).isNotEmpty();
    JsonNode journaled =
        json(gw.get("/v1/ballast/runs/" + body.get("id").asText().substring(5), KEY).body());
    JsonNode messages = journaled.at("/journal/0/event/request/content/messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.at("/1/toolCalls/0/id").asText()).isEqualTo("call_1");
    assertThat(messages.at("/2/role").asText()).isEqualTo("TOOL");
    assertThat(messages.at("/2/toolCallId").asText()).isEqualTo("call_1");
  }

  @Test
  void answersAToolCallAsAFunctionCallItem() {
    HttpResponse<String> response =
        create(
            """
            {"model":"default","input":"What is the weather in Oslo?","tools":[%s],
             "tool_choice":{"type":"function","name":"get_weather"}}"""
                .formatted(WEATHER_TOOL));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.get("output")).hasSize(1);
    JsonNode call = body.at("/output/0");
    assertThat(call.get("type").asText()).isEqualTo("function_call");
    assertThat(call.get("id").asText()).startsWith("fc_");
    assertThat(call.get("call_id").asText()).isNotEmpty();
    assertThat(call.get("name").asText()).isEqualTo("get_weather");
    assertThat(call.get("status").asText()).isEqualTo("completed");
    assertThat(json(call.get("arguments").asText()).get("city").isTextual()).isTrue();
    assertThat(body.at("/tools/0/name").asText()).isEqualTo("get_weather");
  }

  @Test
  void streamsTheResponsesEventsInOrderWithSequenceNumbers() {
    HttpResponse<String> response =
        create("{\"model\":\"default\",\"input\":\"stream me\",\"stream\":true}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    List<Sse> events = events(response.body());
    List<String> types = events.stream().map(e -> e.data().get("type").asText()).toList();
    assertThat(types.subList(0, 4))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added");
    assertThat(types.subList(types.size() - 4, types.size()))
        .containsExactly(
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    assertThat(types).contains("response.output_text.delta").doesNotContain("error");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).data().get("sequence_number").asInt()).isEqualTo(i);
      assertThat(events.get(i).event()).isEqualTo(types.get(i));
    }
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(e -> e.event().equals("response.output_text.delta"))
        .forEach(e -> text.append(e.data().get("delta").asText()));
    JsonNode completed = events.getLast().data().get("response");
    assertThat(completed.get("status").asText()).isEqualTo("completed");
    assertThat(completed.at("/output/0/content/0/text").asText()).isEqualTo(text.toString());
    assertThat(completed.at("/output/0/id").asText())
        .isEqualTo(events.get(2).data().at("/item/id").asText());
    assertThat(completed.at("/usage/output_tokens").asInt()).isPositive();
    assertThat(events.getFirst().data().at("/response/status").asText()).isEqualTo("in_progress");
  }

  @Test
  void streamsAToolCallAsArgumentDeltasInAFunctionCallItem() {
    HttpResponse<String> response =
        create(
            """
            {"model":"default","input":"Weather?","stream":true,"tools":[%s]}"""
                .formatted(WEATHER_TOOL));

    List<Sse> events = events(response.body());
    Sse added =
        events.stream()
            .filter(e -> e.event().equals("response.output_item.added"))
            .findFirst()
            .orElseThrow();
    assertThat(added.data().at("/item/type").asText()).isEqualTo("function_call");
    assertThat(added.data().at("/item/name").asText()).isEqualTo("get_weather");
    StringBuilder args = new StringBuilder();
    events.stream()
        .filter(e -> e.event().equals("response.function_call_arguments.delta"))
        .forEach(e -> args.append(e.data().get("delta").asText()));
    Sse done =
        events.stream()
            .filter(e -> e.event().equals("response.function_call_arguments.done"))
            .findFirst()
            .orElseThrow();
    assertThat(done.data().get("arguments").asText()).isEqualTo(args.toString());
    assertThat(json(args.toString()).get("city").isTextual()).isTrue();
    JsonNode completed = events.getLast().data().get("response");
    assertThat(completed.at("/output/0/arguments").asText()).isEqualTo(args.toString());
    assertThat(completed.at("/output/0/id").asText())
        .isEqualTo(added.data().at("/item/id").asText());
  }

  @Test
  void validatesStructuredOutputAgainstTheTextFormatSchema() {
    HttpResponse<String> response =
        create(
            """
            {"model":"fenced","input":"city?","text":{"format":{"type":"json_schema","name":"c",
             "schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}""");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(json(body.at("/output/0/content/0/text").asText()).has("city")).isTrue();
    assertThat(body.at("/text/format/name").asText()).isEqualTo("c");
    var attempt = (JournalEvent.ProviderAttempt) journal(response).get(1).event();
    assertThat(attempt.repairs()).contains("fenced_json_unwrapped");
  }

  @Test
  void outputViolatingTheTextFormatSchemaIsA502InOpenAisErrorShape() {
    HttpResponse<String> response =
        create(
            """
            {"model":"default","input":"city?","text":{"format":{"type":"json_schema","name":"c",
             "schema":{"type":"object","properties":{"city":{"type":"string","minLength":3}},
             "required":["city"]}}}}""");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("upstream_format_error");
  }

  @Test
  void aCutMaxOutputTokensAnswerIsIncomplete() {
    HttpResponse<String> response =
        create("{\"model\":\"default\",\"input\":\"talk a lot\",\"max_output_tokens\":2}");

    JsonNode body = json(response.body());
    assertThat(body.get("status").asText()).isEqualTo("incomplete");
    assertThat(body.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
    assertThat(body.get("max_output_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void aStreamCutByMaxOutputTokensEndsWithResponseIncomplete() {
    HttpResponse<String> response =
        create(
            "{\"model\":\"default\",\"input\":\"talk\",\"max_output_tokens\":2,\"stream\":true}");

    Sse last = events(response.body()).getLast();
    assertThat(last.event()).isEqualTo("response.incomplete");
    assertThat(last.data().at("/response/incomplete_details/reason").asText())
        .isEqualTo("max_output_tokens");
  }

  @Test
  void aFailedRouteAnswersInOpenAisErrorShapeAndJournalsTheFailure() {
    HttpResponse<String> response = create("{\"model\":\"all-down\",\"input\":\"hi\"}");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("server_error");
    assertThat(journal(response))
        .last()
        .extracting(e -> e.event().typeName())
        .isEqualTo("RunFailed");
  }

  @Test
  void aStreamCutMidwayEndsWithResponseFailedAndAnErrorEventNeverCompleted() {
    HttpResponse<String> response = create("{\"model\":\"cut\",\"input\":\"hi\",\"stream\":true}");

    List<String> types =
        events(response.body()).stream().map(e -> e.data().get("type").asText()).toList();
    assertThat(types).contains("response.output_text.delta").doesNotContain("response.completed");
    assertThat(types.subList(types.size() - 2, types.size()))
        .containsExactly("response.failed", "error");
    var failed = (JournalEvent.RunFailed) journal(response).getLast().event();
    assertThat(failed.errorClass()).isEqualTo("stream_truncated");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no input | {\"model\":\"default\"} | input",
        "no model | {\"input\":\"hi\"} | model",
        "input a number | {\"model\":\"default\",\"input\":3} | input",
        "bad part | {\"model\":\"default\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"audio\"}]}]}"
            + " | input[0].content[0].type",
        "bad role | {\"model\":\"default\",\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}"
            + " | input[0].role",
        "output without call | {\"model\":\"default\",\"input\":[{\"type\":\"function_call_output\","
            + "\"output\":\"x\"}]} | input[0].call_id",
        "hosted tool | {\"model\":\"default\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}"
            + " | tools[0].type",
        "bad format | {\"model\":\"default\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"xml\"}}}"
            + " | text.format.type",
        "schema missing | {\"model\":\"default\",\"input\":\"x\",\"text\":{\"format\":{\"type\":"
            + "\"json_schema\",\"name\":\"c\"}}} | text.format.schema",
        "bad limit | {\"model\":\"default\",\"input\":\"x\",\"max_output_tokens\":0} | max_output_tokens",
        "store a string | {\"model\":\"default\",\"input\":\"x\",\"store\":\"no\"} | store",
      })
  void badInputIsA400NamingTheField(String name, String body, String param) {
    HttpResponse<String> response = create(body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = json(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo(param);
    assertThat(error.get("message").asText()).contains(param);
  }

  @Test
  void aResponsesRunReplaysLikeAChatRun() {
    HttpResponse<String> call = create("{\"model\":\"default\",\"input\":\"replay me\"}");
    String runId = call.headers().firstValue("x-ballast-run-id").orElseThrow();
    gw.gateway.journal().flush(Duration.ofSeconds(5));

    HttpResponse<String> replay = gw.post("/v1/ballast/runs/" + runId + "/replay", KEY, "{}");

    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
    assertThat(json(replay.body()).get("outcome").asText()).isEqualTo("IDENTICAL");
  }

  private static JsonNode journaledMessages(JsonNode response) {
    String runId = response.get("id").asText().substring("resp_".length());
    gw.gateway.journal().flush(Duration.ofSeconds(5));
    return json(gw.get("/v1/ballast/runs/" + runId, KEY).body())
        .at("/journal/0/event/request/content/messages");
  }

  private static JsonNode created(String key, String body) {
    HttpResponse<String> response = gw.post("/v1/responses", key, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body());
  }

  @Test
  void previousResponseIdContinuesTheStoredConversation() {
    JsonNode first =
        created(KEY, "{\"model\":\"default\",\"instructions\":\"sys one\",\"input\":\"first q\"}");
    JsonNode second =
        created(
            KEY,
            "{\"model\":\"default\",\"input\":\"second q\",\"previous_response_id\":\"%s\"}"
                .formatted(first.get("id").asText()));
    JsonNode third =
        created(
            KEY,
            """
            {"model":"default","instructions":"sys two","input":"third q",
             "previous_response_id":"%s"}"""
                .formatted(second.get("id").asText()));

    assertThat(second.get("previous_response_id").asText()).isEqualTo(first.get("id").asText());
    JsonNode messages = journaledMessages(third);
    assertThat(messages)
        .extracting(m -> m.get("role").asText())
        .containsExactly("SYSTEM", "USER", "ASSISTANT", "USER", "ASSISTANT", "USER");
    assertThat(messages.at("/0/content/0/text").asText()).isEqualTo("sys two");
    assertThat(messages.at("/1/content/0/text").asText()).isEqualTo("first q");
    assertThat(messages.at("/2/content/0/text").asText())
        .isEqualTo(first.at("/output/0/content/0/text").asText());
    assertThat(messages.at("/3/content/0/text").asText()).isEqualTo("second q");
    assertThat(messages.at("/5/content/0/text").asText()).isEqualTo("third q");
    // Without new instructions, the earlier turn's stay.
    assertThat(journaledMessages(second).at("/0/content/0/text").asText()).isEqualTo("sys one");
  }

  @Test
  void aToolCallAnswerIsContinuedWithItsFunctionCallOutput() {
    JsonNode first =
        created(
            KEY,
            "{\"model\":\"default\",\"input\":\"Weather?\",\"tools\":[%s]}"
                .formatted(WEATHER_TOOL));
    String callId = first.at("/output/0/call_id").asText();

    JsonNode second =
        created(
            KEY,
            """
            {"model":"default","tools":[%s],"previous_response_id":"%s",
             "input":[{"type":"function_call_output","call_id":"%s","output":"sunny"}]}"""
                .formatted(WEATHER_TOOL, first.get("id").asText(), callId));

    assertThat(second.at("/output/0/type").asText()).isEqualTo("message");
    JsonNode messages = journaledMessages(second);
    assertThat(messages.at("/1/toolCalls/0/id").asText()).isEqualTo(callId);
    assertThat(messages.at("/2/toolCallId").asText()).isEqualTo(callId);
  }

  @Test
  void aStoreFalseResponseIsJournaledButNeitherContinuedNorRetrieved() {
    HttpResponse<String> unstored =
        create("{\"model\":\"default\",\"input\":\"forget me\",\"store\":false}");
    String id = json(unstored.body()).get("id").asText();

    HttpResponse<String> continued =
        create(
            "{\"model\":\"default\",\"input\":\"x\",\"previous_response_id\":\"%s\"}"
                .formatted(id));
    HttpResponse<String> retrieved = gw.get("/v1/responses/" + id, KEY);

    assertThat(json(unstored.body()).get("store").asBoolean()).isFalse();
    assertThat(((JournalEvent.RunStarted) journal(unstored).getFirst().event()).api())
        .isEqualTo("openai.responses.unstored");
    assertThat(continued.statusCode()).isEqualTo(404);
    assertThat(json(continued.body()).at("/error/param").asText())
        .isEqualTo("previous_response_id");
    assertThat(json(continued.body()).at("/error/code").asText())
        .isEqualTo("previous_response_not_found");
    assertThat(retrieved.statusCode()).isEqualTo(404);
  }

  @Test
  void anotherTenantsResponseIsNotFound() {
    String id = created(KEY, "{\"model\":\"default\",\"input\":\"mine\"}").get("id").asText();

    HttpResponse<String> continued =
        gw.post(
            "/v1/responses",
            TestGateway.OTHER_KEY,
            "{\"model\":\"default\",\"input\":\"x\",\"previous_response_id\":\"%s\"}"
                .formatted(id));

    assertThat(continued.statusCode()).isEqualTo(404);
    assertThat(gw.get("/v1/responses/" + id, TestGateway.OTHER_KEY).statusCode()).isEqualTo(404);
  }

  @Test
  void aResponseJournaledWithoutContentCannotBeContinuedAndSaysWhy() {
    String id =
        created(TestGateway.NO_CAPTURE_KEY, "{\"model\":\"default\",\"input\":\"secret\"}")
            .get("id")
            .asText();

    HttpResponse<String> continued =
        gw.post(
            "/v1/responses",
            TestGateway.NO_CAPTURE_KEY,
            "{\"model\":\"default\",\"input\":\"x\",\"previous_response_id\":\"%s\"}"
                .formatted(id));

    assertThat(continued.statusCode()).isEqualTo(400);
    assertThat(json(continued.body()).at("/error/param").asText())
        .isEqualTo("previous_response_id");
    assertThat(json(continued.body()).at("/error/message").asText()).contains("capture is off");
  }

  @Test
  void anUnknownPreviousResponseIsA404NamingTheField() {
    HttpResponse<String> response =
        create("{\"model\":\"default\",\"input\":\"x\",\"previous_response_id\":\"resp_nope\"}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("previous_response_id");
  }

  @Test
  void getReturnsAStoredResponseAsItEnded() {
    JsonNode created =
        created(KEY, "{\"model\":\"default\",\"input\":\"keep me\",\"max_output_tokens\":3}");

    HttpResponse<String> retrieved = gw.get("/v1/responses/" + created.get("id").asText(), KEY);

    assertThat(retrieved.statusCode()).as(retrieved.body()).isEqualTo(200);
    JsonNode body = json(retrieved.body());
    assertThat(body.get("id")).isEqualTo(created.get("id"));
    assertThat(body.get("status")).isEqualTo(created.get("status"));
    assertThat(body.get("output")).isEqualTo(created.get("output"));
    assertThat(body.get("usage")).isEqualTo(created.get("usage"));
    assertThat(body.get("created_at").asLong())
        .isCloseTo(created.get("created_at").asLong(), org.assertj.core.data.Offset.offset(1L));
  }

  @Test
  void getOfAFailedResponseSaysFailedWithItsError() {
    HttpResponse<String> failed = create("{\"model\":\"all-down\",\"input\":\"x\"}");
    String runId = failed.headers().firstValue("x-ballast-run-id").orElseThrow();

    HttpResponse<String> retrieved = gw.get("/v1/responses/resp_" + runId, KEY);

    assertThat(retrieved.statusCode()).isEqualTo(200);
    assertThat(json(retrieved.body()).get("status").asText()).isEqualTo("failed");
    assertThat(json(retrieved.body()).at("/error/message").asText()).isNotEmpty();
  }
}
