package dev.ballast.store;

/**
 * A command that only reads asked for a SQLite store that does not exist: there is nothing to read,
 * and creating it would leave files behind.
 */
public final class NoStoreException extends StoreException {
  public NoStoreException(String message) {
    super(message);
  }
}
