package dev.ballast.calls.internal;

import dev.ballast.core.config.ContinuationMode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import java.util.ArrayList;
import java.util.List;

/** The request that asks a deployment to continue an answer from the text already delivered. */
final class ContinuationRequest {
  /** How the instruction begins; the simulator recognizes a continuation by it. */
  static final String INSTRUCTION =
      "Your previous answer was cut off. Continue exactly from where this text ends, without"
          + " repeating any of it and without any preamble: ";

  // Enough of the delivered text for the model to find its place, not the whole answer again.
  private static final int QUOTED_TAIL = 200;

  private ContinuationRequest() {}

  /**
   * The original request with the delivered text as a trailing assistant message (prefill), or with
   * it followed by a user message asking for the rest (instruction). A prefill has no trailing
   * whitespace (Anthropic refuses one); {@link OverlapFilter} drops the whitespace the model then
   * repeats.
   */
  static ChatRequest of(ChatRequest request, String delivered, ContinuationMode form) {
    List<Message> messages = new ArrayList<>(request.messages());
    if (form == ContinuationMode.PREFILL) {
      messages.add(Message.text(Role.ASSISTANT, delivered.stripTrailing()));
    } else {
      messages.add(Message.text(Role.ASSISTANT, delivered));
      String tail =
          delivered.length() <= QUOTED_TAIL
              ? delivered
              : delivered.substring(delivered.length() - QUOTED_TAIL);
      messages.add(Message.text(Role.USER, INSTRUCTION + tail));
    }
    return new ChatRequest(
        request.model(),
        messages,
        request.tools(),
        request.toolChoice(),
        request.responseFormat(),
        request.temperature(),
        request.topP(),
        request.maxTokens(),
        request.stop(),
        true,
        request.user());
  }
}
