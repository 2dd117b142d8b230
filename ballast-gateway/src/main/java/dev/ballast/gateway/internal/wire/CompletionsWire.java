package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import java.util.List;

/**
 * OpenAI's legacy completions ({@code POST /v1/completions}) on the chat chain: the prompt is one
 * user message, the answer's text the completion. What a chat model cannot honour (several prompts
 * or choices, echo, logprobs, a suffix) is refused with a 400 naming the field rather than ignored.
 */
public final class CompletionsWire {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CompletionsWire() {}

  public static ChatRequest read(JsonNode body) {
    OpenAiRequestReader.requireObject(body);
    String model = JsonFields.string(body, "model", "model", true);
    String prompt = prompt(body.get("prompt"));
    Integer n = JsonFields.integer(body, "n", "n");
    if (n != null && n != 1) {
      throw ApiError.invalid("n", "Invalid 'n': only n=1 is supported by this gateway.");
    }
    Integer bestOf = JsonFields.integer(body, "best_of", "best_of");
    if (bestOf != null && bestOf != 1) {
      throw ApiError.invalid(
          "best_of", "Invalid 'best_of': only best_of=1 is supported by this gateway.");
    }
    if (JsonFields.bool(body, "echo", "echo")) {
      throw ApiError.invalid("echo", "Invalid 'echo': echoing the prompt is not supported.");
    }
    if (body.hasNonNull("logprobs")) {
      throw ApiError.invalid(
          "logprobs", "Invalid 'logprobs': log probabilities are not supported.");
    }
    if (body.hasNonNull("suffix")) {
      throw ApiError.invalid("suffix", "Invalid 'suffix': insertion is not supported.");
    }
    List<String> stop = JsonFields.stringOrList(body, "stop", "stop");
    if (stop.size() > 4) {
      throw ApiError.invalid("stop", "Invalid 'stop': at most 4 stop sequences.");
    }
    return new ChatRequest(
        model,
        List.of(Message.text(Role.USER, prompt)),
        null,
        null,
        null,
        JsonFields.number(body, "temperature", "temperature"),
        JsonFields.number(body, "top_p", "top_p"),
        JsonFields.integer(body, "max_tokens", "max_tokens"),
        stop,
        JsonFields.bool(body, "stream", "stream"),
        JsonFields.string(body, "user", "user", false));
  }

  private static String prompt(JsonNode node) {
    if (node == null || node.isNull()) {
      throw ApiError.missing("prompt");
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (!node.isArray()) {
      throw ApiError.wrongType("prompt", "a string or an array of strings");
    }
    if (node.size() != 1) {
      throw ApiError.invalid(
          "prompt",
          "Invalid 'prompt': this gateway answers one prompt per request, but "
              + node.size()
              + " were sent.");
    }
    if (!node.get(0).isTextual()) {
      throw ApiError.invalid(
          "prompt[0]", "Invalid 'prompt[0]': token arrays are not supported; send text.");
    }
    return node.get(0).asText();
  }

  public static ObjectNode completion(String id, long created, ChatResponse response) {
    String text = response.message() == null ? "" : response.message().text();
    ObjectNode root = chunk(id, created, response.model(), text, finish(response));
    root.set("usage", OpenAiResponseWriter.usage(response.usage()));
    return root;
  }

  /** A streamed piece of the completion; the last one carries the finish reason. */
  public static ObjectNode chunk(
      String id, long created, String model, String text, String finishReason) {
    ObjectNode root = F.objectNode();
    root.put("id", id);
    root.put("object", "text_completion");
    root.put("created", created);
    root.put("model", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("text", text);
    choice.put("index", 0);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return root;
  }

  /** The usage chunk sent when the client asked for {@code stream_options.include_usage}. */
  public static ObjectNode usageChunk(String id, long created, ChatResponse response) {
    ObjectNode root = F.objectNode();
    root.put("id", id);
    root.put("object", "text_completion");
    root.put("created", created);
    root.put("model", response.model());
    root.putArray("choices");
    root.set("usage", OpenAiResponseWriter.usage(response.usage()));
    return root;
  }

  public static String finish(ChatResponse response) {
    return response.finishReason() == null ? "stop" : response.finishReason().openAiName();
  }
}
