package dev.ballast.pipeline.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.pipeline.GenerateSpec;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.pipeline.Template;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.pipeline.spi.ModelCalls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code generate}: renders the stage's prompt (or takes the messages of an {@code
 * assemble_context} stage) and calls its model group through the gateway's resilience chain. With a
 * {@code schema}, the model is asked for JSON matching it (the gateway's validator rejects an
 * answer that does not match, as a format violation) and the parsed answer is the output's {@code
 * json}.
 */
final class GenerateStage implements StageHandler {
  private final ModelCalls models;
  private final String group;
  private final String system;
  private final String user;
  private final String context;
  private final String promptVersion;
  private final JsonNode schema;
  private final Integer maxTokens;
  private final Double temperature;

  GenerateStage(GenerateSpec spec, ModelCalls models) {
    this.models = models;
    this.group = spec.group();
    this.system = spec.prompt() == null ? null : spec.prompt().system();
    this.user = spec.prompt() == null ? null : spec.prompt().user();
    this.context = spec.context();
    this.promptVersion = spec.prompt() == null ? null : spec.prompt().version();
    this.schema = spec.schema();
    this.maxTokens = spec.maxTokens();
    this.temperature = spec.temperature();
  }

  private List<Message> render(StageContext context) {
    JsonNode scope = context.templateScope();
    List<Message> messages = new ArrayList<>();
    if (system != null) {
      messages.add(Message.text(Role.SYSTEM, Template.renderText(system, scope)));
    }
    messages.add(Message.text(Role.USER, Template.renderText(user, scope)));
    return messages;
  }

  private static List<Message> messages(JsonNode assembled) {
    List<Message> messages = new ArrayList<>();
    for (JsonNode m : assembled.path("messages")) {
      messages.add(
          Message.text(Role.fromWire(m.path("role").asText()), m.path("content").asText()));
    }
    return messages;
  }

  @Override
  public JsonNode execute(StageContext context) {
    JsonNode assembled = this.context == null ? null : context.outputs().get(this.context);
    List<Message> messages = assembled == null ? render(context) : messages(assembled);
    // An assembled context may have been routed to a larger-context group.
    String group = assembled == null ? this.group : assembled.path("group").asText(this.group);
    ResponseFormat format =
        schema == null
            ? null
            : new ResponseFormat(
                ResponseFormat.Type.JSON_SCHEMA, context.stage().name(), schema, true);
    ChatRequest request =
        new ChatRequest(
            group, messages, null, null, format, temperature, null, maxTokens, null, false, null);
    String callId = context.callId();
    ChatResponse response =
        models.chat(
            new ModelCalls.Call(
                context.runId(),
                context.stage().name(),
                context.attempt(),
                context.tenant(),
                callId,
                context.deadline()),
            request);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    String text = response.message() == null ? "" : response.message().text();
    out.put("text", text);
    if (schema != null) {
      try {
        out.set("json", Json.mapper().readTree(text));
      } catch (IOException e) {
        throw new StageException(
            "format_violation", "the model's answer is not JSON: " + e.getMessage(), true, e);
      }
    }
    out.put("model", response.model());
    out.put(
        "finish_reason",
        response.finishReason() == null
            ? null
            : response.finishReason().name().toLowerCase(java.util.Locale.ROOT));
    if (response.usage() != null) {
      out.set("usage", Json.mapper().valueToTree(response.usage()));
    }
    out.put(
        "prompt_version",
        assembled == null ? promptVersion : assembled.path("prompt_version").asText(null));
    out.put("call_run_id", callId);
    return out;
  }
}
