package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Renders normalized answers in OpenAI's wire format. */
public final class OpenAiResponseWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private OpenAiResponseWriter() {}

  public static ObjectNode completion(String id, long created, ChatResponse response) {
    ObjectNode root =
        header(id, "chat.completion", created, response.model(), response.systemFingerprint());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("message", message(response.message()));
    choice.putNull("logprobs");
    choice.put(
        "finish_reason",
        response.finishReason() == null ? "stop" : response.finishReason().openAiName());
    root.set("usage", usage(response.usage()));
    return root;
  }

  /** A streaming chunk carrying one delta. */
  public static ObjectNode chunk(
      String id, long created, String model, ChatDelta delta, boolean first) {
    ObjectNode root = header(id, "chat.completion.chunk", created, model, null);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode d = choice.putObject("delta");
    if (first) {
      d.put("role", "assistant");
    }
    if (delta.content() != null) {
      d.put("content", delta.content());
    }
    if (!delta.toolCalls().isEmpty()) {
      ArrayNode calls = d.putArray("tool_calls");
      for (ChatDelta.ToolCallDelta call : delta.toolCalls()) {
        ObjectNode c = calls.addObject();
        c.put("index", call.index());
        if (call.id() != null) {
          c.put("id", call.id());
          c.put("type", "function");
        }
        ObjectNode fn = c.putObject("function");
        if (call.name() != null) {
          fn.put("name", call.name());
        }
        fn.put("arguments", call.arguments() == null ? "" : call.arguments());
      }
    }
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return root;
  }

  /** The final chunk with the finish reason (and the fingerprint of the answering model). */
  public static ObjectNode finalChunk(String id, long created, ChatResponse response) {
    ObjectNode root =
        header(
            id, "chat.completion.chunk", created, response.model(), response.systemFingerprint());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("delta");
    choice.putNull("logprobs");
    choice.put(
        "finish_reason",
        response.finishReason() == null ? "stop" : response.finishReason().openAiName());
    return root;
  }

  /**
   * The usage chunk sent when the client asked for {@code stream_options.include_usage}, with
   * Ballast's {@code cost_usd}: a stream's headers were sent before the cost was known.
   */
  public static ObjectNode usageChunk(
      String id, long created, ChatResponse response, double costUsd) {
    ObjectNode root =
        header(
            id, "chat.completion.chunk", created, response.model(), response.systemFingerprint());
    root.putArray("choices");
    root.set("usage", usage(response.usage()).put("cost_usd", Usd.of(costUsd)));
    return root;
  }

  public static ObjectNode embeddings(EmbeddingResponse response, boolean base64) {
    ObjectNode root = F.objectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < response.vectors().size(); i++) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      float[] vector = response.vectors().get(i);
      if (base64) {
        // The official SDKs ask for base64 by default: little-endian float32, as OpenAI sends it.
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
          buffer.putFloat(v);
        }
        item.put("embedding", Base64.getEncoder().encodeToString(buffer.array()));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float v : vector) {
          values.add(v);
        }
      }
    }
    root.put("model", response.model());
    ObjectNode usage = root.putObject("usage");
    int tokens = response.usage() == null ? 0 : response.usage().inputTokens();
    usage.put("prompt_tokens", tokens);
    usage.put("total_tokens", tokens);
    return root;
  }

  static ObjectNode message(Message message) {
    ObjectNode m = F.objectNode();
    m.put("role", "assistant");
    if (message == null) {
      m.putNull("content");
      return m;
    }
    String text = message.text();
    if (text.isEmpty() && !message.toolCalls().isEmpty()) {
      m.putNull("content");
    } else {
      m.put("content", text);
    }
    m.putNull("refusal");
    if (!message.toolCalls().isEmpty()) {
      ArrayNode calls = m.putArray("tool_calls");
      for (ToolCall call : message.toolCalls()) {
        ObjectNode c = calls.addObject();
        c.put("id", call.id());
        c.put("type", "function");
        ObjectNode fn = c.putObject("function");
        fn.put("name", call.name());
        fn.put("arguments", call.arguments());
      }
    }
    return m;
  }

  static ObjectNode usage(Usage usage) {
    Usage u = usage == null ? Usage.ZERO : usage;
    ObjectNode node = F.objectNode();
    node.put("prompt_tokens", u.inputTokens());
    node.put("completion_tokens", u.outputTokens());
    node.put("total_tokens", u.totalTokens());
    node.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
    node.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    if (u.estimated()) {
      node.put("ballast_estimated", true);
    }
    return node;
  }

  public static ObjectNode error(ApiError error) {
    ObjectNode root = F.objectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", error.getMessage());
    e.put("type", error.type());
    if (error.param() == null) {
      e.putNull("param");
    } else {
      e.put("param", error.param());
    }
    if (error.code() == null) {
      e.putNull("code");
    } else {
      e.put("code", error.code());
    }
    return root;
  }

  private static ObjectNode header(
      String id, String object, long created, String model, String fingerprint) {
    ObjectNode root = F.objectNode();
    root.put("id", id);
    root.put("object", object);
    root.put("created", created);
    root.put("model", model);
    if (fingerprint != null) {
      root.put("system_fingerprint", fingerprint);
    }
    return root;
  }
}
