package dev.ballast.providers.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads AWS event-stream framing ({@code application/vnd.amazon.eventstream}), as Bedrock's {@code
 * converse-stream} answers: each message is {@code total length, headers length, prelude CRC32,
 * headers, payload, message CRC32}, all big-endian. Every message becomes one payload in the shape
 * of the SDK's JSON unions, {@code {"EVENT_TYPE": PAYLOAD}} (an exception: {@code
 * {"EXCEPTION_TYPE": PAYLOAD}}), so a decoder sees one JSON text per event as with SSE.
 *
 * <p>A message whose own CRC fails is returned as text that is not JSON, so it is dropped and
 * recorded as a malformed chunk; a prelude whose CRC fails makes every later length untrustworthy,
 * so the stream ends there as broken.
 */
final class EventStreamReader implements EventReader {
  private static final int PRELUDE = 12;
  private static final int MAX_MESSAGE = 16 << 20;

  private final DataInputStream in;
  private final StringBuilder raw = new StringBuilder();

  EventStreamReader(InputStream body) {
    this.in = new DataInputStream(body);
  }

  @Override
  public String next() throws IOException {
    byte[] prelude = new byte[PRELUDE];
    int first = in.read();
    if (first < 0) {
      return null;
    }
    prelude[0] = (byte) first;
    in.readFully(prelude, 1, PRELUDE - 1);
    ByteBuffer head = ByteBuffer.wrap(prelude);
    int total = head.getInt();
    int headersLength = head.getInt();
    if (crc(prelude, 0, 8) != Integer.toUnsignedLong(head.getInt())) {
      throw new IOException("event stream prelude CRC mismatch");
    }
    if (total < PRELUDE + 4 || total > MAX_MESSAGE || headersLength > total - PRELUDE - 4) {
      throw new IOException("event stream message length " + total + " is out of range");
    }
    byte[] message = new byte[total];
    System.arraycopy(prelude, 0, message, 0, PRELUDE);
    in.readFully(message, PRELUDE, total - PRELUDE);
    String event = event(message, headersLength);
    raw.append(event).append('\n');
    return event;
  }

  private static String event(byte[] message, int headersLength) {
    int total = message.length;
    long expected = Integer.toUnsignedLong(ByteBuffer.wrap(message, total - 4, 4).getInt());
    if (crc(message, 0, total - 4) != expected) {
      return "corrupt event stream message (CRC mismatch)";
    }
    Map<String, String> headers;
    try {
      headers = headers(message, PRELUDE, PRELUDE + headersLength);
    } catch (RuntimeException e) {
      return "malformed event stream headers: " + e.getMessage();
    }
    int payloadStart = PRELUDE + headersLength;
    String payload =
        new String(message, payloadStart, total - 4 - payloadStart, StandardCharsets.UTF_8);
    String type = type(headers);
    if (payload.isBlank()) {
      payload = "{}";
    }
    // The payload is spliced in as text: a payload that is not JSON keeps the whole event from
    // parsing, which is what marks it as malformed.
    return "{" + Nodes.write(Nodes.object().textNode(type)) + ":" + payload + "}";
  }

  private static String type(Map<String, String> headers) {
    String messageType = headers.getOrDefault(":message-type", "event");
    return switch (messageType) {
      case "exception" -> headers.getOrDefault(":exception-type", "exception");
      case "error" -> headers.getOrDefault(":error-code", "error");
      default -> headers.getOrDefault(":event-type", "unknown");
    };
  }

  /** The string-valued headers; the other types are skipped by their fixed or declared size. */
  private static Map<String, String> headers(byte[] message, int from, int to) {
    Map<String, String> headers = new HashMap<>();
    ByteBuffer buffer = ByteBuffer.wrap(message, from, to - from);
    while (buffer.hasRemaining()) {
      String name = string(buffer, buffer.get() & 0xff);
      int type = buffer.get();
      switch (type) {
        case 0, 1 -> {
          // Boolean true and false carry no value bytes.
        }
        case 2 -> skip(buffer, 1);
        case 3 -> skip(buffer, 2);
        case 4 -> skip(buffer, 4);
        case 5, 8 -> skip(buffer, 8);
        case 6 -> skip(buffer, buffer.getShort() & 0xffff);
        case 7 -> headers.put(name, string(buffer, buffer.getShort() & 0xffff));
        case 9 -> skip(buffer, 16);
        default -> throw new IllegalArgumentException("unknown header type " + type);
      }
    }
    return headers;
  }

  private static String string(ByteBuffer buffer, int length) {
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void skip(ByteBuffer buffer, int length) {
    buffer.position(buffer.position() + length);
  }

  private static long crc(byte[] bytes, int from, int to) {
    CRC32 crc = new CRC32();
    crc.update(bytes, from, to - from);
    return crc.getValue();
  }

  @Override
  public String raw() {
    return raw.toString();
  }
}
