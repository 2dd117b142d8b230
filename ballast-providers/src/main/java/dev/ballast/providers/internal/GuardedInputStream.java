package dev.ballast.providers.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports every successful read to the attempt's guard, so that deadlines follow progress. */
final class GuardedInputStream extends FilterInputStream {
  private final AttemptGuard guard;

  GuardedInputStream(InputStream in, AttemptGuard guard) {
    super(in);
    this.guard = guard;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    guard.activity();
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    guard.activity();
    return n;
  }
}
