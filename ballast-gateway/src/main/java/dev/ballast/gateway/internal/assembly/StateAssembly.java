package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.ModelCallChain;
import dev.ballast.core.config.AccessConfig;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.CollectionConfig;
import dev.ballast.core.config.CollectionIndexConfig;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.config.TenantLimits;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.Store;
import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.core.state.UnknownCollectionException;
import dev.ballast.gateway.internal.http.CollectionService;
import dev.ballast.pipeline.StateServices;
import dev.ballast.retrieval.Chunker;
import dev.ballast.retrieval.ChunkerConfig;
import dev.ballast.retrieval.IndexSettings;
import dev.ballast.retrieval.Indexes;
import dev.ballast.retrieval.IngestListener;
import dev.ballast.retrieval.IngestReport;
import dev.ballast.retrieval.Ingestor;
import dev.ballast.retrieval.LocalEmbedder;
import dev.ballast.retrieval.SourceDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the versioned-state services of a node (docs/state.md): the embedders of the configured
 * collections (the embedded local model, or a model group through the gateway's chain), this node's
 * indexes, ingestion, and the retriever and packer pipeline stages use.
 */
public final class StateAssembly implements CollectionService, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateAssembly.class);

  /**
   * The tenant the node's own embedding calls are made as: seeding a group-embedded collection at
   * start and embedding a query text a {@code retrieve} stage gives without a vector. Nothing of
   * these calls is captured.
   */
  static final TenantConfig SYSTEM_TENANT =
      new TenantConfig(
          TenantConfig.SYSTEM, List.of(), false, List.of(), "batch", TenantLimits.UNLIMITED);

  /** How often a node looks for generations its indexes have not applied. */
  static final Duration TAIL_EVERY = Duration.ofSeconds(1);

  private final BallastConfig config;
  private final Store store;
  private final ModelCallChain chain;
  private final JournalWriter journal;
  private final Clock clock;
  private final Map<String, TextEmbedder> queryEmbedders;
  private final Indexes indexes;
  private final StateServices services;

  private StateAssembly(
      BallastConfig config,
      Store store,
      ModelCallChain chain,
      JournalWriter journal,
      Clock clock,
      Map<String, TextEmbedder> queryEmbedders,
      Supplier<AccessConfig> access) {
    this.config = config;
    this.store = store;
    this.chain = chain;
    this.journal = journal;
    this.clock = clock;
    this.queryEmbedders = queryEmbedders;
    this.indexes =
        new Indexes(
            store.documents(),
            List.copyOf(queryEmbedders.values()),
            name -> indexSettings(config, name),
            clock);
    this.services =
        new StateServices(
            store.documents(),
            store.memory(),
            new IndexRetriever(indexes, access),
            new TokenBudgetPacker(config));
  }

  /**
   * @param chain the model-call chain, for collections embedded by a model group; null where no
   *     gateway runs (those collections then cannot be ingested)
   */
  public static StateAssembly create(
      BallastConfig config, Store store, ModelCallChain chain, JournalWriter journal, Clock clock) {
    return create(config, config::access, store, chain, journal, clock);
  }

  /**
   * @param access who may read which collection, as the configuration running now says (a reload
   *     may change the administrators)
   */
  static StateAssembly create(
      BallastConfig config,
      Supplier<AccessConfig> access,
      Store store,
      ModelCallChain chain,
      JournalWriter journal,
      Clock clock) {
    Map<String, TextEmbedder> byModel = new HashMap<>();
    byModel.put(LocalEmbedder.MODEL, new LazyLocalEmbedder());
    for (CollectionConfig c : config.collections().values()) {
      if (!c.local() && chain != null) {
        TextEmbedder e = groupEmbedder(config, chain, journal, clock, c.embedding(), SYSTEM_TENANT);
        byModel.putIfAbsent(e.model(), e);
      }
    }
    return new StateAssembly(config, store, chain, journal, clock, Map.copyOf(byModel), access);
  }

  /** The embedded local embedding model, loaded once per process on first use. */
  static TextEmbedder localModel() {
    return LocalModelHolder.MODEL;
  }

  /**
   * Where and how this node indexes a collection: snapshots under {@code DATA_DIR/index}, with the
   * collection's {@code index} settings (the defaults for a collection the store has but the
   * configuration does not name).
   */
  static IndexSettings indexSettings(BallastConfig config, String collection) {
    CollectionIndexConfig index =
        config
            .collection(collection)
            .map(CollectionConfig::index)
            .orElse(CollectionIndexConfig.DEFAULTS);
    return IndexSettings.onDisk(config.server().dataDir().resolve("index"), index);
  }

  /**
   * Opens this node's index of every configured collection (from its snapshot on disk) and keeps
   * them caught up with the store, so that pinned searches rarely wait for a catch-up.
   */
  public void startTailing() {
    indexes.startTailing(List.copyOf(config.collections().keySet()), TAIL_EVERY);
  }

  public StateServices services() {
    return services;
  }

  @Override
  public DocumentStore documents() {
    return services.documents();
  }

  @Override
  public Indexes indexes() {
    return indexes;
  }

  /**
   * Commits the next generation of a configured collection.
   *
   * @param tenant whose calls embed the documents when the collection is embedded by a model group
   * @throws UnknownCollectionException when the configuration has no such collection
   */
  @Override
  public IngestReport ingest(
      String collection,
      TenantConfig tenant,
      List<SourceDocument> documents,
      List<String> removed,
      IngestListener listener) {
    CollectionConfig c =
        config.collection(collection).orElseThrow(() -> new UnknownCollectionException(collection));
    return ingestor(c, tenant).ingest(collection, documents, removed, listener);
  }

  private Ingestor ingestor(CollectionConfig c, TenantConfig tenant) {
    TextEmbedder embedder;
    if (c.local()) {
      embedder = queryEmbedders.get(LocalEmbedder.MODEL);
    } else if (chain == null) {
      throw new IllegalStateException(
          "collection \""
              + c.name()
              + "\" is embedded by model group \""
              + c.embedding()
              + "\", which only a running gateway can call");
    } else {
      embedder = groupEmbedder(config, chain, journal, clock, c.embedding(), tenant);
    }
    return new Ingestor(
        store.documents(),
        embedder,
        new Chunker(new ChunkerConfig(c.chunkTokens(), c.overlapTokens())));
  }

  /**
   * Ingests each collection's {@code seed} when the collection has no generation yet. Several nodes
   * starting together may both seed; the store serialises the commits and the second finds every
   * chunk already live, so it embeds nothing and changes nothing a reader can see.
   */
  public void seed() {
    for (CollectionConfig c : config.collections().values()) {
      if (c.seed() == null) {
        continue;
      }
      boolean empty =
          store.documents().collection(c.name()).map(info -> info.generation() == 0).orElse(true);
      if (!empty) {
        continue;
      }
      List<SourceDocument> docs = Seeds.read(c.seed());
      IngestReport report = ingest(c.name(), SYSTEM_TENANT, docs, List.of(), p -> {});
      LOG.info(
          "seeded collection {} from {}: generation {}, {} documents, {} chunks embedded",
          c.name(),
          c.seed(),
          report.result().generation(),
          docs.size(),
          report.embedded());
    }
  }

  static TextEmbedder groupEmbedder(
      BallastConfig config,
      ModelCallChain chain,
      JournalWriter journal,
      Clock clock,
      String group,
      TenantConfig tenant) {
    GroupConfig g =
        config
            .group(group)
            .orElseThrow(() -> new IllegalArgumentException("no model group \"" + group + "\""));
    return new GroupEmbedder(group, modelOf(config, g), chain, tenant, journal, clock);
  }

  /** The model a group's first deployment serves: what decides its tokenizer and its vectors. */
  static String modelOf(BallastConfig config, GroupConfig group) {
    List<String> deployments = new ArrayList<>(group.deployments());
    DeploymentConfig first = config.deployments().get(deployments.getFirst());
    return first == null ? group.name() : first.model();
  }

  @Override
  public void close() {
    try {
      indexes.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class LocalModelHolder {
    static final TextEmbedder MODEL = new LocalEmbedder();
  }

  /** The local model under its fixed name, loaded only when something is embedded. */
  private static final class LazyLocalEmbedder implements TextEmbedder {
    @Override
    public String model() {
      return LocalEmbedder.MODEL;
    }

    @Override
    public int dimension() {
      return LocalEmbedder.DIMENSION;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      return localModel().embed(texts);
    }
  }
}
