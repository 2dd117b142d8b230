package dev.ballast.client;

import java.net.URI;

/**
 * The gateway could not be reached or did not answer in time: connection refused, reset, DNS
 * failure, or the request timeout passed. The message names the method and URL; the cause is the
 * JDK's exception. Whether the request reached the gateway is unknown, so a submission should be
 * retried with the same idempotency key.
 */
public class BallastTransportException extends BallastClientException {
  private final URI uri;

  public BallastTransportException(String method, URI uri, String problem, Throwable cause) {
    super(method + " " + uri + ": " + problem, cause);
    this.uri = uri;
  }

  /** The URL that could not be reached. */
  public URI uri() {
    return uri;
  }
}
