package dev.ballast.store;

import dev.ballast.core.BallastException;

/**
 * A store could not be opened or an operation on it failed. The message is meant for an operator:
 * it names the store and the failure, never a credential.
 */
public class StoreException extends BallastException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
