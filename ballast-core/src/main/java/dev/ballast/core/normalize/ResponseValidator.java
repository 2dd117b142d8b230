package dev.ballast.core.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import dev.ballast.core.Json;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last gate between a provider and a client: an answer either passes, passes with recorded
 * repairs, or is a {@link FormatViolation}. It never returns a broken answer as success.
 *
 * <ul>
 *   <li>Tool-call arguments must be JSON.
 *   <li>With a {@code json_schema} response format the output must match the schema; output in a
 *       Markdown code fence is unwrapped and the repair recorded.
 *   <li>Missing usage is counted locally and marked estimated.
 * </ul>
 *
 * Thread-safe; schemas are checked and compiled once by {@link ClientSchemas}.
 */
public final class ResponseValidator {
  private static final Pattern FENCE =
      Pattern.compile("^\\s*```(?:json|JSON)?\\s*\\n(.*?)\\n?\\s*```\\s*$", Pattern.DOTALL);

  private final ClientSchemas schemas;

  /** A validator that shares the gateway's compiled client schemas. */
  public ResponseValidator() {
    this(ClientSchemas.shared());
  }

  public ResponseValidator(ClientSchemas schemas) {
    this.schemas = schemas;
  }

  /** Returns the answer to send, with repairs recorded; throws {@link FormatViolation}. */
  public ChatResponse validate(ChatRequest request, ChatResponse response) {
    List<Repair> repairs = new ArrayList<>(response.repairs());
    checkToolCalls(response.message());
    ChatResponse result = checkFormat(request.responseFormat(), response, repairs);
    if (result.usage() == null) {
      Usage estimated =
          new Usage(
              TokenCounter.countInput(request),
              TokenCounter.countOutput(result.message()),
              0,
              0,
              true);
      result = result.withUsage(estimated);
      repairs.add(new Repair(Repair.Kind.USAGE_ESTIMATED, "provider sent no usage"));
    }
    return result.withRepairs(repairs);
  }

  private static void checkToolCalls(Message message) {
    if (message == null) {
      return;
    }
    for (ToolCall call : message.toolCalls()) {
      if (call.name() == null || call.name().isBlank()) {
        throw new FormatViolation(FormatViolation.NAMELESS_TOOL_CALL);
      }
      try {
        Json.mapper().readTree(call.arguments() == null ? "" : call.arguments());
        if (call.arguments() == null || call.arguments().isBlank()) {
          throw new FormatViolation(
              FormatViolation.TOOL_CALL_PREFIX + "\"" + call.name() + "\" has empty arguments");
        }
      } catch (JsonProcessingException e) {
        throw new FormatViolation(
            FormatViolation.TOOL_CALL_PREFIX
                + "\""
                + call.name()
                + "\" arguments are not valid JSON: "
                + e.getOriginalMessage());
      }
    }
  }

  private ChatResponse checkFormat(
      ResponseFormat format, ChatResponse response, List<Repair> repairs) {
    if (format == null
        || format.type() == ResponseFormat.Type.TEXT
        || response.message() == null
        || !response.message().toolCalls().isEmpty()) {
      return response;
    }
    String text = response.message().text();
    Matcher fenced = FENCE.matcher(text);
    if (fenced.matches()) {
      text = fenced.group(1);
      repairs.add(
          new Repair(Repair.Kind.FENCED_JSON_UNWRAPPED, "output was wrapped in a code fence"));
    }
    JsonNode output;
    try {
      output = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new FormatViolation(
          FormatViolation.OUTPUT_PREFIX + "is not valid JSON: " + e.getOriginalMessage());
    }
    if (output == null || !output.isObject() && format.type() == ResponseFormat.Type.JSON_OBJECT) {
      throw new FormatViolation(FormatViolation.OUTPUT_PREFIX + "is not a JSON object");
    }
    if (format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
      List<Error> errors = validateOutput(format, output);
      if (!errors.isEmpty()) {
        Error first = errors.get(0);
        throw new FormatViolation(
            FormatViolation.OUTPUT_PREFIX
                + "does not match the response_format schema"
                + (format.name() == null ? "" : " \"" + format.name() + "\"")
                + ": "
                + first.toString());
      }
    }
    Message original = response.message();
    Message unwrapped =
        new Message(
            original.role(),
            List.of(new ContentPart.Text(text)),
            original.name(),
            original.toolCalls(),
            original.toolCallId());
    return response.withMessage(unwrapped);
  }

  private List<Error> validateOutput(ResponseFormat format, JsonNode output) {
    var schema = schemas.compile(format.schema(), "response_format.json_schema.schema");
    try {
      return schema.validate(output);
    } catch (StackOverflowError e) {
      // A recursive schema recurses once per level of the output; the output's nesting is
      // bounded by the JSON parser, but not every thread has the stack for the deepest.
      throw new FormatViolation(
          FormatViolation.OUTPUT_PREFIX + "is nested too deeply to validate against the schema");
    }
  }
}
