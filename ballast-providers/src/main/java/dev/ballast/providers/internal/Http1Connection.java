package dev.ballast.providers.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 connection on a blocking socket channel with its read buffer. Used by one exchange
 * at a time; {@link #close()} may be called from any thread and wakes a blocked read or connect,
 * which is how deadlines abort an exchange.
 */
final class Http1Connection {
  private static final int BUFFER_SIZE = 16 * 1024;
  private static final int MAX_LINE = 16 * 1024;

  private final SocketChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE).flip();
  private long idleSinceNanos;
  private boolean waitless;

  private Http1Connection(SocketChannel channel) {
    this.channel = channel;
  }

  /** An unconnected connection, so that a deadline can close it while it connects. */
  static Http1Connection open() throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    return new Http1Connection(channel);
  }

  void connect(InetSocketAddress address, Duration timeout) throws IOException {
    channel.socket().connect(address, (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
  }

  void write(byte[] bytes) throws IOException {
    ByteBuffer source = ByteBuffer.wrap(bytes);
    while (source.hasRemaining()) {
      channel.write(source);
    }
  }

  /**
   * The next line without its CR LF, as ISO-8859-1 (header bytes are not UTF-8 by definition).
   *
   * @param part what the line belongs to, for the message when the connection closes before it ends
   *     ("the response head", "a chunked body"): a body cut between chunks is not a broken head
   */
  String readLine(String part) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      if (!buffer.hasRemaining() && fill() < 0) {
        throw new EOFException("connection closed in the middle of " + part);
      }
      char c = (char) (buffer.get() & 0xff);
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new ProtocolException("a line of " + part + " is longer than " + MAX_LINE + " bytes");
      }
      line.append(c);
    }
  }

  /** Reads up to {@code length} bytes, waiting only when nothing is buffered; -1 at EOF. */
  int read(byte[] target, int offset, int length) throws IOException {
    if (!buffer.hasRemaining() && fill() < 0) {
      return -1;
    }
    int n = Math.min(length, buffer.remaining());
    buffer.get(target, offset, n);
    return n;
  }

  /** Bytes that can be read without waiting. */
  int buffered() {
    return buffer.remaining();
  }

  private int fill() throws IOException {
    buffer.clear();
    int n;
    try {
      n = channel.read(buffer);
    } finally {
      buffer.flip();
    }
    if (n == 0 && waitless) {
      throw new WouldWait();
    }
    return n;
  }

  /**
   * In waitless mode a read that would have to wait for the network fails with {@link WouldWait}
   * instead; what is already received is read as usual. For finishing a body that has arrived.
   */
  void waitless(boolean on) throws IOException {
    channel.configureBlocking(!on);
    waitless = on;
  }

  /** A waitless read found nothing received. */
  static final class WouldWait extends IOException {
    WouldWait() {
      super("nothing received yet");
    }
  }

  void markIdle() {
    idleSinceNanos = System.nanoTime();
  }

  long idleNanos() {
    return System.nanoTime() - idleSinceNanos;
  }

  /**
   * Whether an idle connection can carry another request: the server has not closed it and sent
   * nothing unasked. Looks without waiting; a closed connection reads EOF at once.
   */
  boolean stillOpen() {
    if (buffer.hasRemaining()) {
      return false;
    }
    try {
      channel.configureBlocking(false);
      int n = fill();
      channel.configureBlocking(true);
      return n == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Closes the socket; a thread blocked on it fails with an IOException. Idempotent. */
  void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing more can be done with a socket that fails to close.
    }
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
