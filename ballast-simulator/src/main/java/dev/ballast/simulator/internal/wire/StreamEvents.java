package dev.ballast.simulator.internal.wire;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A stream rendered in one wire format, each element one complete event. Only {@code tokens} count
 * for {@code cut_after} and {@code stall_after}.
 *
 * @param closing the finish and usage events
 * @param terminator the end-of-stream marker ({@code [DONE]}, {@code message_stop}), or null
 * @param malformed an event whose JSON is invalid
 * @param error the format's error event, sent in place of the rest of the stream
 * @param charset how each event's text becomes bytes: UTF-8 for text protocols, ISO-8859-1 for a
 *     binary framing whose events are strings of one char per byte (AWS event streams)
 */
public record StreamEvents(
    String contentType,
    List<String> opening,
    List<String> tokens,
    List<String> closing,
    String terminator,
    String malformed,
    String error,
    Charset charset) {

  /** A text stream (SSE, NDJSON). */
  public StreamEvents(
      String contentType,
      List<String> opening,
      List<String> tokens,
      List<String> closing,
      String terminator,
      String malformed,
      String error) {
    this(
        contentType,
        opening,
        tokens,
        closing,
        terminator,
        malformed,
        error,
        StandardCharsets.UTF_8);
  }

  public byte[] bytes(String event) {
    return event.getBytes(charset);
  }
}
