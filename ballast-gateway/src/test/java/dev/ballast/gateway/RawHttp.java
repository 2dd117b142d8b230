package dev.ballast.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 spoken by hand over a socket, for tests of what well-behaved clients never send. */
final class RawHttp {
  private RawHttp() {}

  static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setTcpNoDelay(true);
    return s;
  }

  /** The head of a POST with a JSON body of {@code length} bytes, authenticated. */
  static String post(String path, int length) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + TestGateway.KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + length
        + "\r\n\r\n";
  }

  /** What arrives within {@code millis}: "closed" at end of stream, null when nothing came. */
  static String readAvailable(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    byte[] buffer = new byte[8192];
    try {
      int n = s.getInputStream().read(buffer);
      return n < 0 ? "closed" : new String(buffer, 0, n, StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  /** Everything until the server closes the connection or {@code millis} pass. */
  static String readAll(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        all.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // Whatever came so far is the answer.
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
