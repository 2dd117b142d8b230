package dev.ballast.providers.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import java.util.List;

/** What every format's decoder builds at the end: an assistant message, or a format violation. */
final class Answers {
  private Answers() {}

  static Message assistant(String text, List<ToolCall> toolCalls) {
    List<ContentPart> content =
        text == null || text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text));
    return new Message(Role.ASSISTANT, content, null, toolCalls, null);
  }

  /** A 2xx answer that cannot be normalized; the raw body goes to the journal with it. */
  static ProviderException violation(String message, String raw) {
    return new ProviderException(ErrorClass.FORMAT_VIOLATION, 0, null, null, message, raw, null);
  }
}
