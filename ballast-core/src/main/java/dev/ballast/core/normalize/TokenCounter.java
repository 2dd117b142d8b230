package dev.ballast.core.normalize;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ToolCall;

/**
 * Counts tokens locally with the o200k tokenizer (OpenAI's current family). For other model
 * families the count is an approximation, which is why usage counted here is always marked {@code
 * estimated}. Thread-safe.
 */
public final class TokenCounter {
  // OpenAI's documented chat framing: each message costs a few tokens beyond its content, and
  // every reply is primed with a few more.
  private static final int PER_MESSAGE = 3;
  private static final int REPLY_PRIMING = 3;
  private static final Encoding ENCODING =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private TokenCounter() {}

  public static int count(String text) {
    return text == null || text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
  }

  /** Input tokens of a request: message text and tool-call arguments with chat framing. */
  public static int countInput(ChatRequest request) {
    int total = REPLY_PRIMING;
    for (Message m : request.messages()) {
      total += PER_MESSAGE + count(m.text());
      for (ToolCall call : m.toolCalls()) {
        total += count(call.name()) + count(call.arguments());
      }
    }
    for (var tool : request.tools()) {
      total += count(tool.name()) + count(tool.description());
      total += tool.parameters() == null ? 0 : count(tool.parameters().toString());
    }
    return total;
  }

  /** Output tokens of an answer message. */
  public static int countOutput(Message message) {
    if (message == null) {
      return 0;
    }
    int total = count(message.text());
    for (ToolCall call : message.toolCalls()) {
      total += count(call.name()) + count(call.arguments());
    }
    return total;
  }
}
