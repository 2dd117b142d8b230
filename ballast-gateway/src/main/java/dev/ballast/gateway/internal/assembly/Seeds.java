package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.BallastException;
import dev.ballast.core.config.CollectionConfig;
import dev.ballast.retrieval.DocumentFormat;
import dev.ballast.retrieval.DocumentReader;
import dev.ballast.retrieval.SourceDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The documents a collection's {@code seed} names: {@code builtin:sample-docs}, the sample corpus
 * inside the gateway's jar (listed in {@code samples/docs/index.txt}), or a file or directory.
 */
final class Seeds {
  private static final String SAMPLES = "samples/docs/";

  private Seeds() {}

  static List<SourceDocument> read(String seed) {
    if (CollectionConfig.SAMPLE_DOCS.equals(seed)) {
      return samples();
    }
    return DocumentReader.read(List.of(Path.of(seed)));
  }

  /** The sample corpus; each document's id is its file name, as ingesting the directory gives. */
  static List<SourceDocument> samples() {
    List<SourceDocument> docs = new ArrayList<>();
    for (String line : resource("index.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      docs.add(new SourceDocument(name, name, DocumentFormat.forFileName(name), resource(name)));
    }
    return docs;
  }

  private static String resource(String name) {
    try (InputStream in = Seeds.class.getClassLoader().getResourceAsStream(SAMPLES + name)) {
      if (in == null) {
        throw new BallastException("the sample corpus is missing " + SAMPLES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
