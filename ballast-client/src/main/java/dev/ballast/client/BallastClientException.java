package dev.ballast.client;

/**
 * The root of every exception the client throws: the gateway answered with an error ({@link
 * BallastApiException}), could not be reached ({@link BallastTransportException}), or a run did not
 * finish in time ({@link RunTimeoutException}). Unchecked, like the rest of Ballast.
 */
public class BallastClientException extends RuntimeException {
  public BallastClientException(String message) {
    super(message);
  }

  public BallastClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
