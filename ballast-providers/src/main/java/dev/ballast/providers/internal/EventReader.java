package dev.ballast.providers.internal;

import java.io.IOException;

/**
 * Splits a streamed body into event payloads and remembers every line received, for the journal.
 */
interface EventReader {
  /** The next payload, or null when the body ended. */
  String next() throws IOException;

  /** Every line received so far, each followed by a newline. */
  String raw();
}
