package dev.ballast.gateway.internal.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.Usage;
import dev.ballast.core.normalize.ResponseValidator;
import dev.ballast.core.normalize.TokenCounter;
import dev.ballast.gateway.internal.wire.AnthropicRequestReader;
import dev.ballast.gateway.internal.wire.AnthropicResponseWriter;
import dev.ballast.gateway.internal.wire.OpenAiRequestReader;
import dev.ballast.gateway.internal.wire.OpenAiResponseWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Work done once before a node accepts requests, so that its first request does not pay for it:
 * loading the tokenizer's vocabulary (the largest single cost of a first call) and the classes of
 * reading, validating and writing a chat call on both doors. No provider is called and nothing is
 * journaled. Measured in BENCHMARKS.md ("cold start").
 */
final class Warmup {
  private static final String OPENAI_CHAT =
      """
      {"model":"warmup","stream":false,"max_tokens":8,"temperature":0.2,
       "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello."}],
       "response_format":{"type":"json_schema","json_schema":{"name":"w","schema":
         {"type":"object","properties":{"a":{"type":"string"}}}}}}""";
  private static final String ANTHROPIC_MESSAGES =
      """
      {"model":"warmup","max_tokens":8,"system":"Be brief.",
       "messages":[{"role":"user","content":"Say hello."}]}""";

  private Warmup() {}

  static void run() {
    ChatRequest openAi = OpenAiRequestReader.chat(json(OPENAI_CHAT));
    ChatRequest anthropic = AnthropicRequestReader.messages(json(ANTHROPIC_MESSAGES));
    TokenCounter.countInput(openAi);
    TokenCounter.countInput(anthropic);
    ChatResponse answer =
        new ChatResponse(
            "warmup",
            "warmup",
            null,
            Message.text(Role.ASSISTANT, "{\"a\":\"hello\"}"),
            FinishReason.STOP,
            null,
            List.of(),
            null);
    ChatResponse valid = new ResponseValidator().validate(openAi, answer);
    bytes(OpenAiResponseWriter.completion("warmup", 0, valid));
    bytes(OpenAiResponseWriter.chunk("warmup", 0, "warmup", ChatDelta.text("hello"), true));
    bytes(OpenAiResponseWriter.finalChunk("warmup", 0, valid));
    bytes(AnthropicResponseWriter.message("warmup", valid.withUsage(new Usage(1, 1, 0, 0, true))));
  }

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void bytes(JsonNode node) {
    try {
      Json.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
