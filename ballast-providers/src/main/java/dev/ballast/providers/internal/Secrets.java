package dev.ballast.providers.internal;

/**
 * Keeps the API key out of everything Ballast records. Providers sometimes echo the key they
 * received in an error message ("Incorrect API key provided: sk-..."), and those messages end up in
 * exceptions, logs and the journal.
 */
final class Secrets {
  private static final String MASK = "***";
  private final String apiKey;

  Secrets(String apiKey) {
    this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
  }

  String redact(String text) {
    if (text == null || apiKey == null) {
      return text;
    }
    return text.replace(apiKey, MASK);
  }
}
