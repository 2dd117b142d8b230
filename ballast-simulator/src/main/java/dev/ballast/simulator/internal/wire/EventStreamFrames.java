package dev.ballast.simulator.internal.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes AWS event-stream messages ({@code application/vnd.amazon.eventstream}): total length,
 * headers length, prelude CRC32, string headers, payload, message CRC32, all big-endian. A message
 * is returned as a string of one ISO-8859-1 char per byte, so it travels through {@link
 * StreamEvents} like a text event.
 */
final class EventStreamFrames {
  private static final byte STRING = 7;

  private EventStreamFrames() {}

  static String event(String eventType, String payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", eventType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return message(headers, payload);
  }

  static String exception(String exceptionType, String payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":exception-type", exceptionType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    return message(headers, payload);
  }

  static String message(Map<String, String> headers, String payload) {
    ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
    headers.forEach(
        (name, value) -> {
          byte[] n = name.getBytes(StandardCharsets.UTF_8);
          byte[] v = value.getBytes(StandardCharsets.UTF_8);
          headerBytes.write(n.length);
          headerBytes.writeBytes(n);
          headerBytes.write(STRING);
          headerBytes.write((v.length >> 8) & 0xff);
          headerBytes.write(v.length & 0xff);
          headerBytes.writeBytes(v);
        });
    byte[] h = headerBytes.toByteArray();
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    int total = 12 + h.length + p.length + 4;
    ByteBuffer buffer = ByteBuffer.allocate(total);
    buffer.putInt(total).putInt(h.length);
    buffer.putInt((int) crc(buffer.array(), 0, 8));
    buffer.put(h).put(p);
    buffer.putInt((int) crc(buffer.array(), 0, total - 4));
    return new String(buffer.array(), StandardCharsets.ISO_8859_1);
  }

  private static long crc(byte[] bytes, int from, int to) {
    CRC32 crc = new CRC32();
    crc.update(bytes, from, to - from);
    return crc.getValue();
  }
}
