package dev.ballast.bench;

import dev.ballast.core.config.VectorEncoding;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.retrieval.CollectionIndex;
import java.nio.file.Path;
import java.util.Map;

/** {@link ScaleProbe}'s measurement, reused in-process by the encoding comparison. */
final class ScaleProbeSupport {
  private ScaleProbeSupport() {}

  static CollectionIndex open(
      DocumentStore docs, String collection, Path root, VectorEncoding e, int oversample) {
    return ScaleProbe.open(docs, collection, root, e, oversample);
  }

  static void measure(
      CollectionIndex index,
      long generation,
      int queries,
      Path truth,
      int oversample,
      Map<String, String> out)
      throws Exception {
    ScaleProbe.measure(
        index,
        generation,
        ExactNeighbours.queries(queries),
        ScaleProbe.readTruth(truth),
        oversample,
        out);
  }
}
