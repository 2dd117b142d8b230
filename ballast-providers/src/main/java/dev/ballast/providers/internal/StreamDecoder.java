package dev.ballast.providers.internal;

/** Translates one wire format's stream events into calls on a {@link StreamState}. */
interface StreamDecoder {
  /**
   * Handles one event payload.
   *
   * @return true when the payload is the stream's terminating event
   */
  boolean onEvent(String data);
}
