package dev.ballast.calls.internal;

import com.fasterxml.jackson.core.JsonProcessingException;

/** The normalized model as JSON text, for the journal. */
final class JsonText {
  private JsonText() {}

  static String of(Object value) {
    try {
      return dev.ballast.core.Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("normalized model must serialize", e);
    }
  }
}
