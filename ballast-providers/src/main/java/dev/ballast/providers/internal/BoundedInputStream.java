package dev.ballast.providers.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body with a size cap: reading past {@code max} bytes fails with {@link TooLarge}, so
 * that an upstream which sends without end (a body with no Content-Length, an endless stream)
 * cannot fill the heap; the adapter reports it as {@code upstream_response_too_large}.
 */
final class BoundedInputStream extends FilterInputStream {
  /** The body went past the cap. */
  static final class TooLarge extends IOException {
    TooLarge(long max) {
      super("the response exceeded the provider's max_response_bytes of " + max + " bytes");
    }
  }

  private final long max;
  private long read;

  BoundedInputStream(InputStream in, long max) {
    super(in);
    this.max = max;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) throws TooLarge {
    read += n;
    if (read > max) {
      throw new TooLarge(max);
    }
  }
}
