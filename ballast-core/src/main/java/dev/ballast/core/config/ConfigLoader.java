package dev.ballast.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads and validates {@code ballast.yaml}. Every problem is collected with its path and reported
 * at once in a {@link ConfigException}; unknown keys are errors; secrets are never echoed.
 *
 * <p>Without a file, {@link #defaults} builds a configuration that works offline: the in-process
 * simulator as the {@code default} model, plus OpenAI and Anthropic when their API keys are in the
 * environment.
 */
public final class ConfigLoader {
  public static final String DEFAULT_GROUP = "default";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern KEY_HASH = Pattern.compile("sha256:[0-9a-f]{64}");

  private ConfigLoader() {}

  /** Loads a YAML file; throws {@link ConfigException} listing every problem. */
  public static BallastConfig load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of("cannot read the file: " + e.getMessage()));
    }
    return parse(file.toString(), text, env);
  }

  /** Parses YAML text; {@code source} names it in error messages. */
  public static BallastConfig parse(String source, String yaml, Map<String, String> env) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(
          source, List.of("not valid YAML" + where + ": " + e.getOriginalMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    ConfigReader reader = new ConfigReader(env);
    BallastConfig config = read(reader, root);
    if (!reader.errors().isEmpty()) {
      throw new ConfigException(source, reader.errors());
    }
    return config;
  }

  /**
   * The built-in configuration used when no file is given.
   *
   * @param devKeyHash {@code sha256:...} of the development key, the only tenant's key
   */
  /**
   * The ready-made {@code rag-answer} pipeline of the built-in configuration, over the {@code docs}
   * collection, which is seeded with the sample corpus shipped with Ballast.
   */
  static final String RAG_ANSWER =
      """
      collections:
        docs: {embedding: local, seed: "builtin:sample-docs"}
      prompts:
        rag-answer:
          system: >-
            Answer the question from the sources below and the conversation so far. Name the
            sources you used. If the sources do not answer it, say so.
          user: "{{input.question}}"
      pipelines:
        rag-answer:
          description: >-
            embed the question, retrieve from docs, assemble the context, answer, check the
            answer, remember the exchange
          output: "{{stages.answer}}"
          stages:
            - {name: embed_question, type: embed, group: local-embeddings,
               text: "{{input.question}}"}
            - {name: retrieve, type: retrieve, collection: docs, query: "{{input.question}}",
               k: 4, vector_from: embed_question}
            - {name: context, type: assemble_context, group: default, prompt: rag-answer,
               chunks: retrieve, conversation: "{{input.conversation_id}}", reserve_output: 512}
            - {name: answer, type: generate, group: default, context: context}
            - {name: check, type: validate, of: answer,
               schema: {type: object, required: [text],
                        properties: {text: {type: string, minLength: 1}}}}
            - name: remember
              type: memory_update
              conversation: "{{input.conversation_id}}"
              append:
                - {role: user, content: "{{input.question}}"}
                - {role: assistant, content: "{{stages.answer.text}}"}
      """;

  /**
   * The YAML of the ready-made {@code rag-answer} pipeline (its prompt, the {@code docs} collection
   * and the pipeline), for configurations that want it next to their own model groups: it needs a
   * {@code default} group for answers and a {@code local-embeddings} group.
   */
  public static String ragAnswerYaml() {
    return RAG_ANSWER;
  }

  public static BallastConfig defaults(Map<String, String> env, Path dataDir, String devKeyHash) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("providers:\n  simulator: {type: simulator}\n  local: {type: local}\n");
    StringBuilder deployments =
        new StringBuilder(
            "deployments:\n  simulator: {provider: simulator, model: sim}\n"
                + "  local-minilm: {provider: local, model: all-minilm-l6-v2}\n");
    StringBuilder groups =
        new StringBuilder(
            "groups:\n  default:\n    deployments: [simulator]\n"
                + "    description: Ballast's in-process simulator, not a real model\n"
                + "  local-embeddings:\n    deployments: [local-minilm]\n"
                + "    description: all-MiniLM-L6-v2, run in-process and offline\n");
    if (present(env, "OPENAI_API_KEY")) {
      yaml.append("  openai: {type: openai, api_key: \"${OPENAI_API_KEY}\"}\n");
      deployments.append(
          "  openai-gpt-4o-mini: {provider: openai, model: gpt-4o-mini,"
              + " price: {input: 0.15, output: 0.6, cached: 0.075}}\n");
      groups.append("  gpt-4o-mini: {deployments: [openai-gpt-4o-mini]}\n");
    }
    if (present(env, "ANTHROPIC_API_KEY")) {
      yaml.append("  anthropic: {type: anthropic, api_key: \"${ANTHROPIC_API_KEY}\"}\n");
      deployments.append(
          "  anthropic-claude-haiku: {provider: anthropic, model: claude-haiku-4-5,"
              + " price: {input: 1.0, output: 5.0, cached: 0.1}}\n");
      groups.append("  claude-haiku-4-5: {deployments: [anthropic-claude-haiku]}\n");
    }
    yaml.append(deployments).append(groups);
    yaml.append("tenants:\n  dev: {keys: [\"").append(devKeyHash).append("\"]}\n");
    // The development key administers the node it was made for (docs/security.md).
    yaml.append("admins: [dev]\n");
    yaml.append(RAG_ANSWER);
    BallastConfig config = parse("built-in default configuration", yaml.toString(), env);
    return config.withServer(config.server().withDataDir(dataDir));
  }

  /** The {@code sha256:...} form of a virtual key, as tenants list it. */
  public static String hashKey(String key) {
    return "sha256:" + Payload.sha256(key.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean present(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }

  private static BallastConfig read(ConfigReader r, JsonNode root) {
    r.object(
        root,
        "",
        Set.of(
            "server",
            "store",
            "journal",
            "resilience",
            "providers",
            "deployments",
            "groups",
            "tenants",
            "prompts",
            "pipelines",
            "workers",
            "telemetry",
            "collections",
            "admins",
            "managed_keys",
            "canaries",
            "watch"));
    ServerConfig server = server(r, root.get("server"));
    String storeUrl = store(r, root.get("store"));
    JournalConfig journal = journal(r, root.get("journal"));
    ResilienceConfig resilience = resilience(r, root.get("resilience"));
    Map<String, ProviderConfig> providers =
        r.named(
            root.get("providers"), "providers", (n, v) -> ProviderConfigReader.provider(r, n, v));
    Map<String, DeploymentConfig> deployments =
        r.named(root.get("deployments"), "deployments", (n, v) -> deployment(r, n, v, providers));
    Map<String, GroupConfig> groups =
        r.named(root.get("groups"), "groups", (n, v) -> group(r, n, v, deployments));
    Map<String, TenantConfig> tenants =
        r.named(root.get("tenants"), "tenants", (n, v) -> tenant(r, n, v));
    checkGroupReferences(r, groups);
    WatchSettings watch = WatchConfigReader.read(r, root.get("watch"));
    addNotifyPipeline(r, root, watch);
    PipelineConfigReader pr = new PipelineConfigReader(r);
    Map<String, PromptConfig> prompts = pr.prompts(root.get("prompts"));
    Map<String, PipelineDefinition> pipelines =
        pr.pipelines(root.get("pipelines"), groups, prompts);
    WorkersConfig workers = pr.workers(root.get("workers"));
    TelemetrySettings telemetry = TelemetryConfigReader.read(r, root.get("telemetry"));
    Map<String, CollectionConfig> collections =
        r.named(root.get("collections"), "collections", (n, v) -> collection(r, n, v, groups));
    // The canaries' tenant (CanaryConfig.TENANT) is a reserved name, refused with the others above.
    Map<String, CanaryConfig> canaries =
        CanaryConfigReader.read(r, root.get("canaries"), groups, pipelines.keySet());
    AccessConfig access = new AccessConfigReader(r).read(root, tenants, collections);
    if (groups.isEmpty() && r.errors().isEmpty()) {
      r.error("groups", "at least one model group is required");
    }
    if (tenants.isEmpty() && r.errors().isEmpty()) {
      r.error("tenants", "at least one tenant with a virtual key is required");
    }
    String version =
        Payload.sha256(root.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    return new BallastConfig(
        server,
        storeUrl,
        journal,
        resilience,
        providers,
        deployments,
        groups,
        tenants,
        prompts,
        pipelines,
        workers,
        telemetry,
        collections,
        access,
        watch,
        version,
        canaries);
  }

  /**
   * With {@code watch.notify}, the built-in pipeline that delivers notifications joins the
   * configuration's pipelines (its name is reserved), so every node runs it and pins it like any.
   */
  private static void addNotifyPipeline(ConfigReader r, JsonNode root, WatchSettings watch) {
    if (!watch.notifications().enabled() || !(root instanceof ObjectNode rootObject)) {
      return;
    }
    JsonNode pipelines = rootObject.get("pipelines");
    if (pipelines == null || pipelines.isNull()) {
      pipelines = rootObject.putObject("pipelines");
    }
    if (!(pipelines instanceof ObjectNode named)) {
      return;
    }
    if (named.has(WatchSettings.NOTIFY_PIPELINE)) {
      r.error(
          "pipelines." + WatchSettings.NOTIFY_PIPELINE,
          "the name is reserved for the pipeline that delivers watch.notify");
      return;
    }
    named.set(
        WatchSettings.NOTIFY_PIPELINE, WatchConfigReader.notifyPipeline(watch.notifications()));
  }

  private static CollectionConfig collection(
      ConfigReader r, String name, JsonNode node, Map<String, GroupConfig> groups) {
    String path = "collections." + name;
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
      r.error(path, "collection names must match [A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
      return null;
    }
    if (node != null && !node.isNull()) {
      r.object(
          node,
          path,
          Set.of(
              "embedding", "chunk_tokens", "overlap_tokens", "seed", "index", "owner", "readers"));
    }
    String embedding = r.string(node, path, "embedding", CollectionConfig.LOCAL, false);
    if (!CollectionConfig.LOCAL.equals(embedding) && !groups.containsKey(embedding)) {
      r.error(
          path + ".embedding",
          "expected \"local\" or a model group, but \"" + embedding + "\" is neither");
    }
    int chunk = (int) r.integer(node, path, "chunk_tokens", 256, 16, 8192);
    int overlap = (int) r.integer(node, path, "overlap_tokens", 32, 0, 4096);
    if (overlap >= chunk) {
      r.error(path + ".overlap_tokens", "must be less than chunk_tokens (" + chunk + ")");
      overlap = 0;
    }
    return new CollectionConfig(
        name,
        embedding,
        chunk,
        overlap,
        r.string(node, path, "seed", null, false),
        collectionIndex(r, path + ".index", node == null ? null : node.get("index")));
  }

  private static CollectionIndexConfig collectionIndex(ConfigReader r, String path, JsonNode node) {
    CollectionIndexConfig d = CollectionIndexConfig.DEFAULTS;
    if (!r.object(node, path, Set.of("vectors", "oversample", "history"))) {
      return d;
    }
    String name = r.string(node, path, "vectors", d.vectors().wireName(), false);
    VectorEncoding vectors = VectorEncoding.parse(name);
    if (vectors == null) {
      r.error(
          path + ".vectors",
          "expected one of " + VectorEncoding.names() + ", but was \"" + name + "\"");
      vectors = d.vectors();
    }
    int oversample = (int) r.integer(node, path, "oversample", d.oversample(), 1, 100);
    Duration history = r.duration(node, path, "history", d.history());
    return new CollectionIndexConfig(vectors, oversample, history);
  }

  private static ServerConfig server(ConfigReader r, JsonNode node) {
    r.object(
        node,
        "server",
        Set.of("host", "port", "max_body_bytes", "data_dir", "role", "limits", "drain_timeout"));
    String host = r.string(node, "server", "host", "127.0.0.1", false);
    int port = (int) r.integer(node, "server", "port", 8080, 0, 65_535);
    long maxBody = r.integer(node, "server", "max_body_bytes", 4L << 20, 1024, 1L << 30);
    Path dataDir = Path.of(r.string(node, "server", "data_dir", "ballast-data", false));
    String roleName = r.string(node, "server", "role", "both", false);
    NodeRole role = NodeRole.parse(roleName);
    if (role == null) {
      r.error("server.role", "expected gateway, worker or both, but was \"" + roleName + "\"");
      role = NodeRole.BOTH;
    }
    Duration drain =
        r.duration(node, "server", "drain_timeout", ServerConfig.DEFAULT_DRAIN_TIMEOUT);
    if (drain.compareTo(ServerConfig.MAX_DRAIN_TIMEOUT) > 0) {
      r.error("server.drain_timeout", "must be at most 10m, but was " + drain);
      drain = ServerConfig.DEFAULT_DRAIN_TIMEOUT;
    }
    return new ServerConfig(
        host,
        port,
        maxBody,
        dataDir,
        role,
        limits(r, node == null ? null : node.get("limits")),
        drain);
  }

  private static ServerLimits limits(ConfigReader r, JsonNode node) {
    String p = "server.limits";
    r.object(node, p, Set.of("request_head", "body_progress", "idle", "connections_per_client"));
    ServerLimits d = ServerLimits.DEFAULT;
    try {
      return new ServerLimits(
          r.duration(node, p, "request_head", d.requestHead()),
          r.duration(node, p, "body_progress", d.bodyProgress()),
          r.duration(node, p, "idle", d.idle()),
          (int)
              r.integer(node, p, "connections_per_client", d.connectionsPerClient(), 0, 1_000_000));
    } catch (IllegalArgumentException e) {
      r.error(p, e.getMessage());
      return d;
    }
  }

  private static String store(ConfigReader r, JsonNode node) {
    r.object(node, "store", Set.of("url"));
    String url = r.string(node, "store", "url", "sqlite:", false);
    if (!url.startsWith("sqlite:")
        && !url.startsWith("postgresql:")
        && !url.startsWith("jdbc:postgresql:")) {
      r.error(
          "store.url",
          "expected sqlite:[PATH] or postgresql://HOST:PORT/DB, but was \""
              + redactUrl(url)
              + "\"");
    }
    return url;
  }

  private static JournalConfig journal(ConfigReader r, JsonNode node) {
    r.object(node, "journal", Set.of("queue_capacity", "queue_bytes", "batch_size"));
    int capacity =
        (int)
            r.integer(
                node,
                "journal",
                "queue_capacity",
                JournalConfig.DEFAULT.queueCapacity(),
                16,
                10_000_000);
    int batch =
        (int)
            r.integer(node, "journal", "batch_size", JournalConfig.DEFAULT.batchSize(), 1, 100_000);
    // 0 keeps the default (an eighth of the heap); otherwise at least the writer's own minimum.
    long bytes = r.integer(node, "journal", "queue_bytes", 0, 0, 1L << 40);
    if (bytes != 0 && bytes < JournalWriterConfig.MIN_QUEUE_BYTES) {
      r.error(
          "journal.queue_bytes",
          "must be 0 (the default) or at least "
              + JournalWriterConfig.MIN_QUEUE_BYTES
              + ", but was "
              + bytes);
    }
    return new JournalConfig(capacity, bytes, batch);
  }

  private static ResilienceConfig resilience(ConfigReader r, JsonNode node) {
    String p = "resilience";
    r.object(
        node,
        p,
        Set.of(
            "deadline",
            "max_deadline",
            "retry_budget",
            "backoff",
            "breaker",
            "cooldown",
            "max_retries_per_deployment",
            "idempotency_ttl",
            "min_attempt_time",
            "max_retry_after_wait",
            "adaptive_first_token"));
    ResilienceConfig d = ResilienceConfig.DEFAULT;
    JsonNode budget = node == null ? null : node.get("retry_budget");
    r.object(budget, p + ".retry_budget", Set.of("ratio", "floor_per_second"));
    double ratio = r.decimal(budget, p + ".retry_budget", "ratio", d.retryBudgetRatio());
    if (ratio > 1) {
      r.error(p + ".retry_budget.ratio", "must be between 0 and 1, but was " + ratio);
    }
    JsonNode backoff = node == null ? null : node.get("backoff");
    r.object(backoff, p + ".backoff", Set.of("base", "cap"));
    JsonNode breaker = node == null ? null : node.get("breaker");
    String bp = p + ".breaker";
    r.object(
        breaker,
        bp,
        Set.of(
            "failure_rate",
            "window",
            "open_wait",
            "half_open_probes",
            "slow_call_duration",
            "slow_call_rate"));
    return new ResilienceConfig(
        r.duration(node, p, "deadline", d.deadline()),
        r.duration(node, p, "max_deadline", d.maxDeadline()),
        ratio,
        (int)
            r.integer(
                budget,
                p + ".retry_budget",
                "floor_per_second",
                d.retryBudgetFloorPerSecond(),
                0,
                10_000),
        r.duration(backoff, p + ".backoff", "base", d.backoffBase()),
        r.duration(backoff, p + ".backoff", "cap", d.backoffCap()),
        (int) r.integer(breaker, bp, "failure_rate", d.breakerFailureRate(), 1, 100),
        (int) r.integer(breaker, bp, "window", d.breakerWindow(), 1, 100_000),
        r.duration(breaker, bp, "open_wait", d.breakerOpenWait()),
        (int) r.integer(breaker, bp, "half_open_probes", d.breakerHalfOpenProbes(), 1, 1000),
        r.duration(breaker, bp, "slow_call_duration", d.slowCallDuration()),
        (int) r.integer(breaker, bp, "slow_call_rate", d.slowCallRate(), 1, 100),
        r.duration(node, p, "cooldown", d.cooldown()),
        (int) r.integer(node, p, "max_retries_per_deployment", d.maxRetriesPerDeployment(), 0, 10),
        r.duration(node, p, "idempotency_ttl", d.idempotencyTtl()),
        atMost(r, node, p, "min_attempt_time", d.minAttemptTime(), Duration.ofMinutes(1)),
        atMost(r, node, p, "max_retry_after_wait", d.maxRetryAfterWait(), Duration.ofMinutes(10)),
        adaptiveFirstToken(r, node == null ? null : node.get("adaptive_first_token")));
  }

  private static AdaptiveFirstTokenConfig adaptiveFirstToken(ConfigReader r, JsonNode node) {
    String p = "resilience.adaptive_first_token";
    r.object(node, p, Set.of("enabled", "quantile", "factor", "floor", "min_samples"));
    AdaptiveFirstTokenConfig d = AdaptiveFirstTokenConfig.DEFAULT;
    double quantile = r.decimal(node, p, "quantile", d.quantile());
    if (quantile <= 0 || quantile > 1) {
      r.error(p + ".quantile", "must be greater than 0 and at most 1, but was " + quantile);
      quantile = d.quantile();
    }
    double factor = r.decimal(node, p, "factor", d.factor());
    if (factor < 1 || factor > 100) {
      r.error(p + ".factor", "must be between 1 and 100, but was " + factor);
      factor = d.factor();
    }
    return new AdaptiveFirstTokenConfig(
        r.bool(node, p, "enabled", d.enabled()),
        quantile,
        factor,
        r.duration(node, p, "floor", d.floor()),
        (int) r.integer(node, p, "min_samples", d.minSamples(), 1, 1000));
  }

  /** A positive duration no longer than {@code max}; the fallback, with an error, otherwise. */
  private static Duration atMost(
      ConfigReader r, JsonNode node, String path, String key, Duration fallback, Duration max) {
    Duration value = r.duration(node, path, key, fallback);
    if (value.compareTo(max) > 0) {
      r.error(path + "." + key, "must be at most " + text(max) + ", but was " + text(value));
      return fallback;
    }
    return value;
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static DeploymentConfig deployment(
      ConfigReader r, String name, JsonNode node, Map<String, ProviderConfig> providers) {
    String path = "deployments." + name;
    if (!r.object(
        node,
        path,
        Set.of(
            "provider",
            "model",
            "max_concurrent",
            "price",
            "timeouts",
            "expect",
            "continuation"))) {
      if (node == null || node.isNull()) {
        r.error(path, "is empty (expected provider and model)");
      }
      return null;
    }
    String provider = r.required(node, path, "provider");
    if (provider != null && !providers.containsKey(provider)) {
      r.error(
          path + ".provider", "unknown provider \"" + provider + "\"" + known(providers.keySet()));
    }
    String model = r.required(node, path, "model");
    int maxConcurrent = (int) r.integer(node, path, "max_concurrent", 256, 1, 100_000);
    JsonNode priceNode = node.get("price");
    r.object(priceNode, path + ".price", Set.of("input", "output", "cached"));
    double input = r.decimal(priceNode, path + ".price", "input", 0);
    Price price =
        new Price(
            input,
            r.decimal(priceNode, path + ".price", "output", 0),
            r.decimal(priceNode, path + ".price", "cached", input));
    JsonNode t = node.get("timeouts");
    String tp = path + ".timeouts";
    r.object(t, tp, Set.of("connect", "first_token", "idle", "total"));
    Timeouts d = Timeouts.DEFAULT;
    Timeouts timeouts =
        new Timeouts(
            r.duration(t, tp, "connect", d.connect()),
            r.duration(t, tp, "first_token", d.firstToken()),
            r.duration(t, tp, "idle", d.idle()),
            r.duration(t, tp, "total", d.total()));
    ProviderConfig providerConfig = provider == null ? null : providers.get(provider);
    ExpectedIdentity expect =
        ChecksConfigReader.expect(
            r,
            path + ".expect",
            node.get("expect"),
            providerConfig == null ? null : providerConfig.type());
    ContinuationMode continuation =
        continuation(r, path, node, providerConfig == null ? null : providerConfig.type());
    return new DeploymentConfig(
        name, provider, model, maxConcurrent, price, timeouts, expect, continuation);
  }

  private static ContinuationMode continuation(
      ConfigReader r, String path, JsonNode node, ProviderType type) {
    String text = r.string(node, path, "continuation", null, false);
    if (text == null) {
      return ContinuationMode.defaultFor(type);
    }
    for (ContinuationMode mode : ContinuationMode.values()) {
      if (mode.wireName().equals(text.trim())) {
        return mode;
      }
    }
    r.error(
        path + ".continuation", "expected prefill, instruction or none, but was \"" + text + "\"");
    return ContinuationMode.defaultFor(type);
  }

  private static GroupConfig group(
      ConfigReader r, String name, JsonNode node, Map<String, DeploymentConfig> deployments) {
    String path = "groups." + name;
    if (!r.object(
        node,
        path,
        Set.of(
            "deployments",
            "description",
            "fallbacks",
            "larger_context",
            "context_window",
            "checks",
            "continue_streams",
            "strategy",
            "weights"))) {
      if (node == null || node.isNull()) {
        r.error(path, "is empty (expected deployments)");
      }
      return null;
    }
    List<String> members = r.strings(node, path, "deployments");
    if (members.isEmpty() && node.has("deployments")) {
      r.error(path + ".deployments", "must name at least one deployment");
    } else if (!node.has("deployments")) {
      r.error(path + ".deployments", "is required");
    }
    for (int i = 0; i < members.size(); i++) {
      if (!deployments.containsKey(members.get(i))) {
        r.error(
            path + ".deployments[" + i + "]",
            "unknown deployment \"" + members.get(i) + "\"" + known(deployments.keySet()));
      }
    }
    List<String> fallbacks = r.strings(node, path, "fallbacks");
    String larger = r.string(node, path, "larger_context", null, false);
    int window =
        (int)
            r.integer(
                node, path, "context_window", GroupConfig.DEFAULT_CONTEXT_WINDOW, 256, 10_000_000);
    return new GroupConfig(
        name,
        members,
        r.string(node, path, "description", null, false),
        fallbacks,
        larger,
        window,
        ChecksConfigReader.checks(r, path + ".checks", node.get("checks")),
        r.bool(node, path, "continue_streams", true),
        strategy(r, path, node),
        weights(r, path, node.get("weights"), members));
  }

  private static LoadStrategy strategy(ConfigReader r, String path, JsonNode node) {
    String text = r.string(node, path, "strategy", null, false);
    if (text == null) {
      return LoadStrategy.ORDERED;
    }
    for (LoadStrategy s : LoadStrategy.values()) {
      if (s.wireName().equals(text.trim())) {
        return s;
      }
    }
    r.error(
        path + ".strategy",
        "expected ordered, weighted, least_busy or latency, but was \"" + text + "\"");
    return LoadStrategy.ORDERED;
  }

  private static Map<String, Integer> weights(
      ConfigReader r, String path, JsonNode node, List<String> members) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return weights;
    }
    if (!node.isObject()) {
      r.error(path + ".weights", "expected a map of deployment to weight");
      return weights;
    }
    for (var e : node.properties()) {
      String at = path + ".weights." + e.getKey();
      if (!members.contains(e.getKey())) {
        r.error(at, "\"" + e.getKey() + "\" is not one of the group's deployments " + members);
        continue;
      }
      weights.put(e.getKey(), (int) r.integer(node, path + ".weights", e.getKey(), 1, 0, 1000));
    }
    return weights;
  }

  /** Fallback and larger-context groups must exist and must not lead back to the group itself. */
  private static void checkGroupReferences(ConfigReader r, Map<String, GroupConfig> groups) {
    for (GroupConfig g : groups.values()) {
      for (int i = 0; i < g.fallbacks().size(); i++) {
        String f = g.fallbacks().get(i);
        if (!groups.containsKey(f)) {
          r.error(
              "groups." + g.name() + ".fallbacks[" + i + "]",
              "unknown group \"" + f + "\"" + known(groups.keySet()));
        } else if (f.equals(g.name())) {
          r.error(
              "groups." + g.name() + ".fallbacks[" + i + "]", "a group cannot fall back to itself");
        }
      }
      if (g.largerContext() != null && !groups.containsKey(g.largerContext())) {
        r.error(
            "groups." + g.name() + ".larger_context",
            "unknown group \"" + g.largerContext() + "\"" + known(groups.keySet()));
      } else if (g.name().equals(g.largerContext())) {
        r.error(
            "groups." + g.name() + ".larger_context",
            "a group cannot be its own larger-context group");
      }
    }
  }

  private static TenantConfig tenant(ConfigReader r, String name, JsonNode node) {
    String path = "tenants." + name;
    if (!TenantConfig.NAME.matcher(name).matches()) {
      // Described, not echoed: the name may hold control characters.
      r.error(
          path,
          "tenant names must match "
              + TenantConfig.NAME.pattern()
              + " (letters, digits, '_', '.', '-'; no '/', which would join memory keys of two"
              + " tenants)");
      return null;
    }
    if (TenantConfig.reserved(name)) {
      r.error(
          path,
          "\""
              + TenantConfig.SYSTEM
              + "\" is reserved: it is the tenant Ballast's own work runs as; choose another name");
      return null;
    }
    if (!r.object(node, path, Set.of("keys", "capture", "redact", "priority", "limits"))) {
      if (node == null || node.isNull()) {
        r.error(path, "is empty (expected keys)");
      }
      return null;
    }
    List<String> keys = r.strings(node, path, "keys");
    if (keys.isEmpty()) {
      r.error(
          path + ".keys", "at least one key hash is required (create one with: ballast keys new)");
    }
    for (int i = 0; i < keys.size(); i++) {
      if (!KEY_HASH.matcher(keys.get(i)).matches()) {
        // Never echo the value: a plain key pasted here by mistake is a secret.
        r.error(
            path + ".keys[" + i + "]",
            "expected a key hash \"sha256:<64 hex digits>\" (ballast keys hash KEY prints one), not a plain key");
      }
    }
    boolean capture = r.bool(node, path, "capture", true);
    List<Pattern> redact = new ArrayList<>();
    List<String> patterns = r.strings(node, path, "redact");
    for (int i = 0; i < patterns.size(); i++) {
      try {
        redact.add(Pattern.compile(patterns.get(i)));
      } catch (PatternSyntaxException e) {
        r.error(
            path + ".redact[" + i + "]", "not a valid regular expression: " + e.getDescription());
      }
    }
    String priority = r.string(node, path, "priority", "interactive", false);
    if (!priority.equals("interactive") && !priority.equals("batch")) {
      r.error(path + ".priority", "expected interactive or batch, but was \"" + priority + "\"");
    }
    TenantLimits limits = TenantLimitsReader.read(r, path + ".limits", node.get("limits"));
    return new TenantConfig(name, keys, capture, redact, priority, limits);
  }

  private static String known(Set<String> names) {
    return names.isEmpty()
        ? " (none are defined)"
        : " (known: " + String.join(", ", names.stream().sorted().toList()) + ")";
  }

  /** Removes a password from a store URL before it is shown. */
  public static String redactUrl(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1****")
        .replaceAll("//([^:/@]+):([^@]+)@", "//$1:****@");
  }
}
