package dev.ballast.retrieval;

import dev.ballast.core.config.CollectionIndexConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how one collection is indexed on this node.
 *
 * @param directory the root under which snapshots live (one directory per collection, model and
 *     encoding); null keeps the index in memory only, rebuilt from the store at every start
 * @param config the collection's {@code index} configuration
 */
public record IndexSettings(Path directory, CollectionIndexConfig config) {
  public static final IndexSettings IN_MEMORY =
      new IndexSettings(null, CollectionIndexConfig.DEFAULTS);

  public IndexSettings {
    Objects.requireNonNull(config, "config");
  }

  public static IndexSettings onDisk(Path directory, CollectionIndexConfig config) {
    return new IndexSettings(Objects.requireNonNull(directory, "directory"), config);
  }

  public static IndexSettings inMemory(CollectionIndexConfig config) {
    return new IndexSettings(null, config);
  }
}
