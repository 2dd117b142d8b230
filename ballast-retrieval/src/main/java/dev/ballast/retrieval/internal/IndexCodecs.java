package dev.ballast.retrieval.internal;

import dev.ballast.core.config.VectorEncoding;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * The Lucene codec of an index whose vectors use a {@link VectorEncoding}. Only the vector format
 * differs from Lucene's default codec; a segment names its vector format and records the
 * quantization in its own metadata, so any node reads any snapshot with Lucene's default codec.
 */
public final class IndexCodecs {
  /** Lucene's defaults: 16 neighbours per node, a candidate list of 100 while building. */
  static final int MAX_CONN = 16;

  static final int BEAM_WIDTH = 100;

  private IndexCodecs() {}

  public static Codec codec(VectorEncoding encoding) {
    KnnVectorsFormat format = format(encoding);
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  static KnnVectorsFormat format(VectorEncoding encoding) {
    return switch (encoding) {
      case FLOAT32 -> new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH);
      case INT8 -> quantized(ScalarEncoding.UNSIGNED_BYTE);
      case INT4 -> quantized(ScalarEncoding.PACKED_NIBBLE);
      case BINARY -> quantized(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE);
    };
  }

  private static KnnVectorsFormat quantized(ScalarEncoding scalar) {
    return new Lucene104HnswScalarQuantizedVectorsFormat(scalar, MAX_CONN, BEAM_WIDTH);
  }
}
