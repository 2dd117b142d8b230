package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.EmbeddingModelMismatchException;
import dev.ballast.core.state.GenerationRecord;
import dev.ballast.core.state.UnknownCollectionException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A node's indexes, one {@link CollectionIndex} per collection, opened on first use (from a
 * snapshot on disk when the settings give a directory) and caught up from the store.
 *
 * <p>{@link #startTailing} keeps the named collections' indexes caught up eagerly: it opens them at
 * once and then, every interval, applies whatever generations the store committed since, so that a
 * pinned search rarely waits for a catch-up; every {@link #PRUNE_EVERY} it also prunes chunks that
 * no searchable generation can see (docs/state.md, invariant 12). Thread-safe.
 */
public final class Indexes implements AutoCloseable {
  static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
  private static final System.Logger LOG = System.getLogger(Indexes.class.getName());

  private final DocumentStore store;
  private final Map<String, TextEmbedder> embedders;
  private final Function<String, IndexSettings> settings;
  private final Clock clock;
  private final Map<String, CollectionIndex> indexes = new ConcurrentHashMap<>();
  private final Map<String, Long> committed = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService tailer;
  private volatile Instant lastPrune = Instant.MIN;

  /**
   * In-memory indexes with the default settings.
   *
   * @param embedders the query embedders this node has, each used for the collections whose model
   *     it is, when a search gives text but no vector
   */
  public Indexes(DocumentStore store, List<TextEmbedder> embedders) {
    this(store, embedders, c -> IndexSettings.IN_MEMORY, Clock.systemUTC());
  }

  /**
   * @param settings where and how each collection is indexed
   */
  public Indexes(
      DocumentStore store,
      List<TextEmbedder> embedders,
      Function<String, IndexSettings> settings,
      Clock clock) {
    this.store = store;
    Map<String, TextEmbedder> byModel = new ConcurrentHashMap<>();
    for (TextEmbedder e : embedders) {
      byModel.put(e.model(), e);
    }
    this.embedders = Map.copyOf(byModel);
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * @throws UnknownCollectionException when the store has no such collection
   */
  public CollectionIndex index(String collection) {
    return indexes.computeIfAbsent(
        collection, name -> new CollectionIndex(store, name, settings.apply(name)));
  }

  /**
   * Searches {@code collection} as of {@code generation} (see {@link CollectionIndex#search}). When
   * the mode needs a vector and none is given, the query text is embedded with the collection's own
   * model.
   *
   * @param vectorModel the model that produced {@code vector}, or null when none is given (or it is
   *     known to be the collection's)
   * @throws UnknownCollectionException when the collection does not exist
   * @throws EmbeddingModelMismatchException when {@code vectorModel} is not the collection's model
   * @throws GenerationNotCommittedException when the generation is past the collection's last
   * @throws GenerationPrunedException when the generation is older than this node keeps
   * @throws IllegalArgumentException when no vector is given and this node has no embedder of the
   *     collection's model
   */
  public SearchResult search(
      String collection,
      long generation,
      String text,
      float[] vector,
      String vectorModel,
      int k,
      SearchMode mode) {
    CollectionInfo info =
        store.collection(collection).orElseThrow(() -> new UnknownCollectionException(collection));
    if (vectorModel != null && !sameModel(vectorModel, info.embeddingModel())) {
      int given = vector == null ? 0 : vector.length;
      throw new EmbeddingModelMismatchException(
          collection, info.embeddingModel(), info.dimension(), vectorModel, given);
    }
    float[] query = vector;
    if (query == null && mode != SearchMode.KEYWORD && text != null && !text.isBlank()) {
      query = embedder(info).embed(List.of(text)).getFirst();
    }
    return index(collection).search(generation, text, query, k, mode);
  }

  /**
   * Opens the indexes of {@code collections} that exist in the store and keeps them caught up: once
   * now (on the tailing thread, so a large snapshot does not hold up the caller) and then every
   * {@code every}. Calling it again replaces the previous schedule.
   */
  public synchronized void startTailing(List<String> collections, Duration every) {
    stopTailing();
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ballast-index-tailer").daemon().factory());
    s.scheduleWithFixedDelay(
        () -> tail(collections), 0, Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
    tailer = s;
  }

  /**
   * One pass of tailing: each existing collection's index catches up to the store's last generation
   * and, every {@link #PRUNE_EVERY}, is pruned. Failures are logged and retried on the next pass.
   */
  public void tail(List<String> collections) {
    boolean prune = !clock.instant().isBefore(lastPrune.plus(PRUNE_EVERY));
    for (String name : collections) {
      try {
        var info = store.collection(name);
        if (info.isEmpty()) {
          continue;
        }
        long last = info.get().generation();
        committed.put(name, last);
        CollectionIndex index = index(name);
        index.catchUpTo(last);
        if (prune) {
          prune(name);
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "tailing the index of " + name + " failed", e);
      }
    }
    if (prune) {
      lastPrune = clock.instant();
    }
  }

  /**
   * Prunes {@code collection}'s index to the oldest generation that must stay searchable: the
   * newest generation committed at least {@code index.history} ago (it was the latest then), or the
   * oldest generation an unfinished run pins, whichever is older. A run submitted now pins the
   * latest generation, which is never below that floor.
   *
   * @return the number of chunks removed
   */
  public long prune(String collection) {
    CollectionIndex index = index(collection);
    long floor = pruneFloor(collection, index);
    return floor > index.floor() ? index.prune(floor) : 0;
  }

  long pruneFloor(String collection, CollectionIndex index) {
    Instant cutoff = clock.instant().minus(settings.apply(collection).config().history());
    long floor = index.floor();
    for (GenerationRecord r : store.generations(collection, index.floor(), index.generation())) {
      if (!r.committedAt().isAfter(cutoff)) {
        floor = r.generation();
      }
    }
    OptionalLong pinned = store.oldestPinnedGeneration(collection);
    return pinned.isPresent() ? Math.min(floor, pinned.getAsLong()) : floor;
  }

  /** Where each open index stands; the lag is against the store as last seen by tailing. */
  public List<IndexStatus> status() {
    List<IndexStatus> out = new ArrayList<>();
    for (CollectionIndex i : indexes.values()) {
      long seen = committed.getOrDefault(i.collection(), i.generation());
      out.add(
          new IndexStatus(
              i.collection(),
              i.generation(),
              Math.max(seen, i.generation()),
              i.floor(),
              i.size(),
              i.openedFrom().reused()));
    }
    out.sort((a, b) -> a.collection().compareTo(b.collection()));
    return out;
  }

  /**
   * Whether a model name a provider answered with names the collection's model: exactly, or with or
   * without a provider prefix ({@code local/all-minilm-l6-v2} and {@code all-minilm-l6-v2}).
   */
  static boolean sameModel(String given, String collectionModel) {
    return given.equals(collectionModel)
        || collectionModel.endsWith("/" + given)
        || given.endsWith("/" + collectionModel);
  }

  private TextEmbedder embedder(CollectionInfo info) {
    TextEmbedder e = embedders.get(info.embeddingModel());
    if (e == null) {
      throw new IllegalArgumentException(
          "collection \""
              + info.name()
              + "\" holds vectors of model \""
              + info.embeddingModel()
              + "\", and this node has no embedder of that model to embed the query; pass a"
              + " vector or use keyword mode");
    }
    return e;
  }

  private void stopTailing() {
    ScheduledExecutorService s = tailer;
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tailer = null;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    stopTailing();
    for (CollectionIndex index : indexes.values()) {
      index.close();
    }
    indexes.clear();
  }
}
