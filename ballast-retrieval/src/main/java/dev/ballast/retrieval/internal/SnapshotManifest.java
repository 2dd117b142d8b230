package dev.ballast.retrieval.internal;

import dev.ballast.core.config.VectorEncoding;
import dev.ballast.core.journal.Payload;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one index snapshot (a Lucene commit) holds, written into the commit's user data in the same
 * atomic step as its segments: the key it was built for (collection, embedding model, dimension,
 * vector encoding, document layout), the last generation applied with the store's content checksum
 * of it, and the floor below which retired chunks were pruned.
 *
 * @param chain {@link dev.ballast.core.state.GenerationRecord#chain()} of {@code generation} as the
 *     store gave it when the generation was applied ("" at generation 0)
 * @param floor the oldest generation still searchable (0 when nothing was pruned)
 * @param maxFrom the largest {@code fromGeneration} of an indexed chunk
 * @param minTo the smallest {@code toGeneration} of an indexed chunk (Long.MAX_VALUE for none)
 */
public record SnapshotManifest(
    Key key, long generation, String chain, long floor, long maxFrom, long minTo) {
  /**
   * The version of the document layout ({@link ChunkDocuments}); a snapshot of another layout is
   * rebuilt.
   */
  public static final int LAYOUT = 1;

  /** What a snapshot must have been built for to be used. */
  public record Key(String collection, String model, int dimension, VectorEncoding encoding) {
    /** A directory name: the collection's name (made file-safe) and a hash of the whole key. */
    public String directoryName() {
      String text =
          collection + "\n" + model + "\n" + dimension + "\n" + encoding + "\n" + LAYOUT + "\n";
      String hash = Payload.sha256(text.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
      return collection.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + hash;
    }
  }

  public static SnapshotManifest empty(Key key) {
    return new SnapshotManifest(key, 0, "", 0, 0, Long.MAX_VALUE);
  }

  public Map<String, String> toUserData() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("ballast.collection", key.collection());
    data.put("ballast.model", key.model());
    data.put("ballast.dimension", Integer.toString(key.dimension()));
    data.put("ballast.vectors", key.encoding().wireName());
    data.put("ballast.layout", Integer.toString(LAYOUT));
    data.put("ballast.generation", Long.toString(generation));
    data.put("ballast.chain", chain);
    data.put("ballast.floor", Long.toString(floor));
    data.put("ballast.max_from", Long.toString(maxFrom));
    data.put("ballast.min_to", Long.toString(minTo));
    return data;
  }

  /**
   * The manifest of a commit's user data.
   *
   * @throws IllegalArgumentException naming what is missing or unreadable
   */
  public static SnapshotManifest fromUserData(Map<String, String> data) {
    VectorEncoding encoding = VectorEncoding.parse(required(data, "ballast.vectors"));
    if (encoding == null) {
      throw new IllegalArgumentException("unknown vector encoding " + data.get("ballast.vectors"));
    }
    if (Integer.parseInt(required(data, "ballast.layout")) != LAYOUT) {
      throw new IllegalArgumentException("document layout " + data.get("ballast.layout"));
    }
    Key key =
        new Key(
            required(data, "ballast.collection"),
            required(data, "ballast.model"),
            Integer.parseInt(required(data, "ballast.dimension")),
            encoding);
    return new SnapshotManifest(
        key,
        Long.parseLong(required(data, "ballast.generation")),
        required(data, "ballast.chain"),
        Long.parseLong(required(data, "ballast.floor")),
        Long.parseLong(required(data, "ballast.max_from")),
        Long.parseLong(required(data, "ballast.min_to")));
  }

  private static String required(Map<String, String> data, String name) {
    String value = data.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no " + name + " in the commit's user data");
    }
    return value;
  }

  public SnapshotManifest applied(long generation, String chain, long maxFrom, long minTo) {
    return new SnapshotManifest(key, generation, chain, floor, maxFrom, minTo);
  }

  public SnapshotManifest pruned(long floor) {
    return new SnapshotManifest(key, generation, chain, floor, maxFrom, minTo);
  }
}
