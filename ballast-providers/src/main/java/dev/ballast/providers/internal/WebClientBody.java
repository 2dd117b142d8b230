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
 */
final class WebClientBody extends FilterInputStream {
  private final Http1ClientResponse response;

  WebClientBody(Http1ClientResponse response, InputStream body) {
    super(body);
    this.response = response;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      return super.read(buffer, offset, length);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    response.close();
  }
}
