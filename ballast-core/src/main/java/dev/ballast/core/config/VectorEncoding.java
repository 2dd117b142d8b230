package dev.ballast.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a collection's index holds its vectors for the nearest-neighbour graph ({@code
 * collections.NAME.index.vectors}). Every encoding keeps the full-precision vectors on disk as
 * well, so a search can rescore its candidates exactly; a smaller encoding needs less memory for
 * the part of the index every search touches, at some cost in recall before rescoring.
 */
public enum VectorEncoding {
  /** 32-bit floats: 4 bytes per dimension. */
  FLOAT32,
  /** 8-bit scalar quantization: 1 byte per dimension. */
  INT8,
  /** 4-bit scalar quantization: half a byte per dimension. */
  INT4,
  /** 1-bit (binary) quantization: an eighth of a byte per dimension. */
  BINARY;

  /** The name configuration uses: {@code float32}, {@code int8}, {@code int4}, {@code binary}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Bytes per dimension in the graph's encoding. */
  public double bytesPerDimension() {
    return switch (this) {
      case FLOAT32 -> 4;
      case INT8 -> 1;
      case INT4 -> 0.5;
      case BINARY -> 0.125;
    };
  }

  /** The encoding of a configuration name, or null when there is none. */
  public static VectorEncoding parse(String name) {
    for (VectorEncoding e : values()) {
      if (e.wireName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** The names, comma-separated, for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(VectorEncoding::wireName).collect(Collectors.joining(", "));
  }
}
