package dev.ballast.simulator.internal.wire;

import java.util.List;

/**
 * A stream rendered in one wire format, each element one complete event. Only {@code tokens} count
 * for {@code cut_after} and {@code stall_after}.
 *
 * @param closing the finish and usage events
 * @param terminator the end-of-stream marker ({@code [DONE]}, {@code message_stop}), or null
 * @param malformed an event whose JSON is invalid
 * @param error the format's error event, sent in place of the rest of the stream
 */
public record StreamEvents(
    String contentType,
    List<String> opening,
    List<String> tokens,
    List<String> closing,
    String terminator,
    String malformed,
    String error) {}
