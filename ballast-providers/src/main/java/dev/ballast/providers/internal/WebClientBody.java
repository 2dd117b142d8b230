package dev.ballast.providers.internal;

import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A WebClient response body as the transports hand bodies out: failures are {@link IOException}s
 * (the WebClient throws unchecked ones, such as a connection closed mid-body), and closing it
 * closes the response, which returns the connection to the pool after a body read to its end and
 * closes it otherwise. Closing may come from any thread and wakes a blocked read.
 *
 * <p>The WebClient counts a body as read only once a read returned -1; a stream read up to its
 * terminating event has all its Content-Length bytes but never saw the -1, and its connection would
 * be closed. Closing therefore reads that -1 (which does not wait) when every declared byte was
 * read, so that the WebClient is measured with the same connection reuse as {@link Http1Transport}.
 */
final class WebClientBody extends FilterInputStream {
  private final Http1ClientResponse response;
  private final long declaredLength;
  // Written by the reading thread only; read by close(), which in the case that matters (every
  // byte read) runs on that same thread.
  private volatile long received;

  WebClientBody(Http1ClientResponse response, InputStream body) {
    super(body);
    this.response = response;
    this.declaredLength = response.headers().contentLength().orElse(-1);
  }

  @Override
  public int read() throws IOException {
    try {
      int b = super.read();
      if (b >= 0) {
        received++;
      }
      return b;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        received += n;
      }
      return n;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (declaredLength > 0 && received == declaredLength) {
      try {
        in.read();
      } catch (IOException | RuntimeException e) {
        // The response is closed below either way; only the connection's reuse is at stake.
      }
    }
    response.close();
  }
}
