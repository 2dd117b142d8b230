package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.CollectionAccess;
import dev.ballast.core.config.CollectionConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.EmbeddingModelMismatchException;
import dev.ballast.core.state.UnknownCollectionException;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.JsonFields;
import dev.ballast.gateway.internal.wire.OpenAiRequestReader;
import dev.ballast.retrieval.DocumentFormat;
import dev.ballast.retrieval.GenerationNotCommittedException;
import dev.ballast.retrieval.GenerationPrunedException;
import dev.ballast.retrieval.IngestReport;
import dev.ballast.retrieval.SearchHit;
import dev.ballast.retrieval.SearchMode;
import dev.ballast.retrieval.SearchResult;
import dev.ballast.retrieval.SourceDocument;
import dev.ballast.retrieval.UnsupportedDocumentException;
import io.helidon.webserver.http.ServerRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The document collections: {@code GET /v1/collections}, {@code POST
 * /v1/collections/{name}/documents} (one ingestion, committed as one new generation) and {@code
 * POST /v1/collections/{name}/search} (as of a generation, the latest by default). Collections are
 * the configuration's, each owned by a tenant or shared ({@link Roles}): a caller lists and
 * searches only those it may read, as if no other existed, and writes only those its tenant owns
 * (an administrator: every one). What a tenant sends is embedded as that tenant when a model group
 * embeds the collection.
 */
public final class CollectionsApi {
  static final int MAX_K = 100;
  private static final Set<String> INGEST_FIELDS = Set.of("documents", "remove");
  private static final Set<String> DOCUMENT_FIELDS = Set.of("id", "text", "content_type", "name");
  private static final Set<String> SEARCH_FIELDS = Set.of("query", "k", "mode", "generation");

  private final Requests requests;
  private final BallastConfig config;
  private final CollectionService state;
  private final DocumentStore documents;

  public CollectionsApi(Requests requests, BallastConfig config, CollectionService state) {
    this.requests = requests;
    this.config = config;
    this.state = state;
    this.documents = state.documents();
  }

  JsonNode list(Caller caller) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (CollectionConfig c : config.collections().values()) {
      if (!Roles.canReadCollection(caller, config.access(), c.name())) {
        continue;
      }
      CollectionAccess access = config.access().collection(c.name());
      ObjectNode o = data.addObject();
      o.put("object", "collection");
      o.put("name", c.name());
      o.put("embedding", c.embedding());
      o.put("chunk_tokens", c.chunkTokens());
      o.put("overlap_tokens", c.overlapTokens());
      Optional<CollectionInfo> info = documents.collection(c.name());
      o.put("generation", info.map(CollectionInfo::generation).orElse(0L));
      o.put("embedding_model", info.map(CollectionInfo::embeddingModel).orElse(null));
      o.put("dimension", info.map(CollectionInfo::dimension).orElse(null));
      o.put("updated_at", info.map(i -> String.valueOf(i.updatedAt())).orElse(null));
      o.put("owner", access == null ? null : access.owner());
      o.put("writable", caller.admin() || (access != null && access.writableBy(caller.name())));
    }
    return root;
  }

  JsonNode ingest(Caller caller, ServerRequest req) {
    String name = readable(caller, req);
    Roles.requireCollectionWrite(caller, config.access(), name);
    TenantConfig tenant = caller.tenant();
    JsonNode body = requests.json(req);
    OpenAiRequestReader.requireObject(body);
    onlyFields(body, INGEST_FIELDS, "", "'documents' and optionally 'remove'");
    List<SourceDocument> docs = documentsOf(body);
    List<String> removed = removedOf(body);
    if (docs.isEmpty() && removed.isEmpty()) {
      throw ApiError.invalid(
          "documents", "Nothing to ingest: give at least one document or one id to remove.");
    }
    IngestReport report;
    try {
      report = state.ingest(name, tenant, docs, removed, p -> {});
    } catch (EmbeddingModelMismatchException e) {
      throw new ApiError(
          409, "invalid_request_error", "embedding_model_mismatch", null, e.getMessage());
    } catch (IllegalArgumentException | UnsupportedDocumentException e) {
      throw ApiError.invalid("documents", e.getMessage());
    }
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "collection.generation");
    root.put("collection", name);
    root.put("generation", report.result().generation());
    root.put("documents", report.result().documents());
    root.put("added", report.result().added());
    root.put("retired", report.result().retired());
    root.put("unchanged", report.result().unchanged());
    root.put("embedded", report.embedded());
    root.put("reused", report.reused());
    return root;
  }

  JsonNode search(Caller caller, ServerRequest req) {
    String name = readable(caller, req);
    JsonNode body = requests.json(req);
    OpenAiRequestReader.requireObject(body);
    onlyFields(body, SEARCH_FIELDS, "", "'query' and optionally 'k', 'mode', 'generation'");
    String query = JsonFields.string(body, "query", "query", true);
    if (query.isBlank()) {
      throw ApiError.invalid("query", "'query' must not be blank.");
    }
    Integer k = JsonFields.integer(body, "k", "k");
    if (k != null && k > MAX_K) {
      throw ApiError.invalid("k", "'k' must be at most " + MAX_K + ", but was " + k + ".");
    }
    SearchMode mode;
    try {
      mode =
          SearchMode.parse(
              Optional.ofNullable(JsonFields.string(body, "mode", "mode", false)).orElse("hybrid"));
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("mode", e.getMessage());
    }
    Optional<CollectionInfo> info = documents.collection(name);
    if (info.isEmpty()) {
      throw new ApiError(
          404,
          "invalid_request_error",
          "collection_empty",
          null,
          "Collection '" + name + "' has no documents yet; ingest some first.");
    }
    long generation = info.get().generation();
    JsonNode g = body.get("generation");
    if (g != null && !g.isNull()) {
      if (!g.isIntegralNumber() || g.asLong() < 0) {
        throw ApiError.invalid("generation", "'generation' must be a whole number, 0 or more.");
      }
      generation = g.asLong();
    }
    SearchResult result;
    try {
      result = state.indexes().search(name, generation, query, null, null, k == null ? 5 : k, mode);
    } catch (GenerationNotCommittedException e) {
      throw new ApiError(
          404, "invalid_request_error", "generation_not_found", "generation", e.getMessage());
    } catch (GenerationPrunedException e) {
      throw new ApiError(
          410, "invalid_request_error", "generation_pruned", "generation", e.getMessage());
    } catch (UnknownCollectionException e) {
      throw new ApiError(
          404, "invalid_request_error", "collection_not_found", null, e.getMessage());
    }
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "collection.search");
    root.put("collection", name);
    root.put("generation", generation);
    root.put("index_generation", result.indexGeneration());
    root.put("mode", mode.wireName());
    ArrayNode data = root.putArray("data");
    for (SearchHit h : result.hits()) {
      ObjectNode o = data.addObject();
      o.put("chunk_id", h.chunkId());
      o.put("document", h.documentId());
      o.put("content_hash", h.contentHash());
      o.put("score", h.score());
      o.put("title", h.title());
      ArrayNode headings = o.putArray("headings");
      h.headings().forEach(headings::add);
      o.put("text", h.text());
    }
    return root;
  }

  /**
   * The collection the path names, when it is configured and the caller may read it; a collection
   * the caller may not read is answered exactly like one that does not exist.
   */
  String readable(Caller caller, ServerRequest req) {
    String name = req.path().pathParameters().get("name");
    if (config.collection(name).isEmpty()
        || !Roles.canReadCollection(caller, config.access(), name)) {
      throw new ApiError(
          404,
          "invalid_request_error",
          "collection_not_found",
          null,
          "No collection '"
              + name
              + "'; this key may read: "
              + String.join(
                  ", ",
                  config.collections().keySet().stream()
                      .filter(c -> Roles.canReadCollection(caller, config.access(), c))
                      .sorted()
                      .toList())
              + ".");
    }
    return name;
  }

  private static List<SourceDocument> documentsOf(JsonNode body) {
    JsonNode list = body.get("documents");
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw ApiError.wrongType("documents", "an array of documents");
    }
    List<SourceDocument> docs = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode d = list.get(i);
      String path = "documents[" + i + "]";
      if (!d.isObject()) {
        throw ApiError.wrongType(path, "an object with 'id' and 'text'");
      }
      onlyFields(d, DOCUMENT_FIELDS, path + ".", "'id', 'text', 'content_type' and 'name'");
      String id = JsonFields.string(d, "id", path + ".id", true);
      if (id.isBlank()) {
        throw ApiError.invalid(path + ".id", "A document id must not be blank.");
      }
      if (!ids.add(id)) {
        throw ApiError.invalid(path + ".id", "Document '" + id + "' appears twice.");
      }
      String text = JsonFields.string(d, "text", path + ".text", true);
      String type = JsonFields.string(d, "content_type", path + ".content_type", false);
      String name =
          Optional.ofNullable(JsonFields.string(d, "name", path + ".name", false)).orElse(id);
      docs.add(new SourceDocument(id, name, format(type, id, path), text));
    }
    return docs;
  }

  private static DocumentFormat format(String contentType, String id, String path) {
    if (contentType == null) {
      try {
        return DocumentFormat.forFileName(id);
      } catch (UnsupportedDocumentException e) {
        return DocumentFormat.PLAIN;
      }
    }
    String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
    for (DocumentFormat f : DocumentFormat.values()) {
      if (f.contentType().equals(type)) {
        return f;
      }
    }
    throw ApiError.invalid(
        path + ".content_type",
        "Unsupported content type '"
            + contentType
            + "': expected text/markdown, text/plain or text/html.");
  }

  private static List<String> removedOf(JsonNode body) {
    JsonNode list = body.get("remove");
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw ApiError.wrongType("remove", "an array of document ids");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isTextual()) {
        throw ApiError.wrongType("remove[" + i + "]", "a document id (string)");
      }
      ids.add(list.get(i).asText());
    }
    return ids;
  }

  private static void onlyFields(
      JsonNode node, Set<String> allowed, String prefix, String expected) {
    node.fieldNames()
        .forEachRemaining(
            field -> {
              if (!allowed.contains(field)) {
                throw ApiError.invalid(
                    prefix + field,
                    "Unrecognized argument '" + prefix + field + "'. Expected " + expected + ".");
              }
            });
  }
}
