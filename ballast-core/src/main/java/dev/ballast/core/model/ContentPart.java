package dev.ballast.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One part of a message's content. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ContentPart.Text.class, name = "text"),
  @JsonSubTypes.Type(value = ContentPart.Image.class, name = "image")
})
public sealed interface ContentPart {

  /** Plain text. */
  record Text(String text) implements ContentPart {}

  /**
   * An image, either a URL or a {@code data:} URL with base64 content.
   *
   * @param detail OpenAI's detail hint ({@code low}, {@code high}, {@code auto}) or null
   */
  record Image(String url, String detail) implements ContentPart {}
}
