package dev.ballast.core.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One message of a conversation in the normalized model.
 *
 * @param toolCalls calls requested by an assistant message (empty otherwise)
 * @param toolCallId for a {@link Role#TOOL} message, the call it answers
 */
public record Message(
    Role role,
    List<ContentPart> content,
    String name,
    List<ToolCall> toolCalls,
    String toolCallId) {

  public Message {
    content = content == null ? List.of() : List.copyOf(content);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static Message text(Role role, String text) {
    return new Message(role, List.of(new ContentPart.Text(text)), null, List.of(), null);
  }

  /** The concatenated text parts, ignoring images. */
  public String text() {
    return content.stream()
        .filter(p -> p instanceof ContentPart.Text)
        .map(p -> ((ContentPart.Text) p).text())
        .collect(Collectors.joining());
  }
}
