package dev.ballast.store;

/**
 * A store URL that {@link Stores#open} does not understand; the message lists the forms it does.
 */
public final class InvalidStoreUrlException extends StoreException {
  static final String ACCEPTED_FORMS =
      "accepted forms: 'sqlite:' (ballast.db in the data directory), 'sqlite:path/to/file.db',"
          + " 'postgresql://host:port/db?user=u&password=p[&schema=s]'"
          + " or the same with a 'jdbc:' prefix";

  private final String url;

  public InvalidStoreUrlException(String url, String problem) {
    super("invalid store URL '" + url + "': " + problem + "; " + ACCEPTED_FORMS);
    this.url = url;
  }

  /** The URL as given, with any password masked. */
  public String url() {
    return url;
  }
}
