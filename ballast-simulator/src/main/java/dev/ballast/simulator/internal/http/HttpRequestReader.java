package dev.ballast.simulator.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 requests from a connection: request line, headers, and a body framed by {@code
 * Content-Length} or chunked transfer encoding. Only what the simulator needs, but that strictly.
 */
final class HttpRequestReader {
  private static final int MAX_LINE = 16 * 1024;
  private static final int MAX_BODY = 32 * 1024 * 1024;

  private final InputStream in;
  private final OutputStream out;
  private String version = "HTTP/1.1";

  HttpRequestReader(InputStream in, OutputStream out) {
    this.in = in;
    this.out = out;
  }

  String version() {
    return version;
  }

  /** The next request, or null when the client closed the connection between requests. */
  HttpRequest read() throws IOException {
    String line = readLine();
    while (line != null && line.isEmpty()) {
      line = readLine();
    }
    if (line == null) {
      return null;
    }
    String[] parts = line.split(" ", 3);
    if (parts.length != 3) {
      throw new IOException("malformed request line: " + line);
    }
    version = parts[2];
    Map<String, String> headers = readHeaders();
    if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    String target = parts[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? null : target.substring(q + 1);
    return new HttpRequest(parts[0], path, query, headers, readBody(headers));
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return headers;
  }

  private byte[] readBody(Map<String, String> headers) throws IOException {
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      return readChunked();
    }
    String length = headers.get("content-length");
    int n = length == null ? 0 : Integer.parseInt(length);
    if (n < 0 || n > MAX_BODY) {
      throw new IOException("request body too large: " + n);
    }
    return in.readNBytes(n);
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine();
      if (sizeLine == null) {
        throw new IOException("connection closed inside a chunked body");
      }
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        readHeaders(); // trailers
        return body.toByteArray();
      }
      if (body.size() + size > MAX_BODY) {
        throw new IOException("request body too large");
      }
      body.write(in.readNBytes(size));
      readLine();
    }
  }

  /** A CRLF- or LF-terminated ISO-8859-1 line without its terminator; null at end of stream. */
  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int len = line.length();
        return len > 0 && line.charAt(len - 1) == '\r'
            ? line.substring(0, len - 1)
            : line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("header line too long");
      }
      line.append((char) c);
    }
    return line.isEmpty() ? null : line.toString();
  }
}
