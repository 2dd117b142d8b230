package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads embedding vectors, rejecting anything that is not an array of numbers. */
final class Vectors {
  private Vectors() {}

  static float[] floats(JsonNode array, String rawBody) {
    if (array == null || !array.isArray() || array.isEmpty()) {
      throw Answers.violation("embedding is not a non-empty array of numbers", rawBody);
    }
    float[] vector = new float[array.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode value = array.get(i);
      if (!value.isNumber()) {
        throw Answers.violation("embedding contains a non-number at " + i, rawBody);
      }
      vector[i] = value.floatValue();
    }
    return vector;
  }
}
