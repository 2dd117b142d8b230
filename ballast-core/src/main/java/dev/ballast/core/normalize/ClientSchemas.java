package dev.ballast.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schemas that clients send (a {@code response_format} schema, a tool's parameters), checked
 * before anything uses them and compiled once.
 *
 * <p>A client's schema is hostile input: it decides how deep the validator recurses, which
 * documents it would fetch and how much memory its compiled form takes. So before compiling, a
 * schema must be at most {@value #MAX_SCHEMA_CHARS} characters and {@value #MAX_NESTING} levels of
 * JSON deep, declare a dialect that ships with the validator (or none: 2020-12), be valid against
 * its meta-schema, refer only inside itself, contain no reference cycle that does not descend into
 * the value (which would recurse forever), no {@code $dynamicRef}, valid regular expressions and no
 * empty {@code enum} (which nothing can match, so every answer would look like the provider's
 * fault). Any violation is an {@link InvalidSchemaException} naming the request parameter.
 *
 * <p>Compiled schemas are kept in a least-recently-used cache bounded by the total length of their
 * text ({@code cacheChars}), so one tenant sending many large schemas cannot grow the heap without
 * bound. Thread-safe.
 */
public final class ClientSchemas {
  /** The longest schema text accepted, in characters. */
  public static final int MAX_SCHEMA_CHARS = 65_536;

  /** The deepest JSON nesting accepted inside a schema. */
  public static final int MAX_NESTING = 64;

  /** The default bound of the compiled-schema cache: 8 Mi characters of schema text. */
  public static final long DEFAULT_CACHE_CHARS = 8L << 20;

  private static final ClientSchemas SHARED = new ClientSchemas(DEFAULT_CACHE_CHARS);

  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> metaSchemas = new LinkedHashMap<>();
  private final long cacheChars;
  private final LinkedHashMap<String, Schema> cache = new LinkedHashMap<>(64, 0.75f, true);
  private long cachedChars;

  public ClientSchemas(long cacheChars) {
    if (cacheChars < 0) {
      throw new IllegalArgumentException("cacheChars must be >= 0, but was " + cacheChars);
    }
    this.cacheChars = cacheChars;
  }

  /** The instance the gateway's request parsing and answer validation share. */
  public static ClientSchemas shared() {
    return SHARED;
  }

  /**
   * Checks a client's schema and returns it compiled (from the cache when it was seen before).
   *
   * @param param where the schema sits in the request, for the error message
   * @throws InvalidSchemaException when the schema is refused, naming the problem
   */
  public Schema compile(JsonNode schema, String param) {
    String text = schema.toString();
    Schema cached = lookup(text);
    if (cached != null) {
      return cached;
    }
    if (text.length() > MAX_SCHEMA_CHARS) {
      throw new InvalidSchemaException(
          param,
          "the schema is "
              + text.length()
              + " characters long; at most "
              + MAX_SCHEMA_CHARS
              + " are accepted.");
    }
    checkNesting(schema, param);
    String dialect = dialect(schema, param);
    checkAgainstMetaSchema(schema, dialect, param);
    SchemaGraph.check(schema, param);
    Schema compiled = compileChecked(schema, param);
    store(text, compiled);
    return compiled;
  }

  /** How many compiled schemas the cache holds and their total text length, for tests. */
  synchronized long[] cacheSize() {
    return new long[] {cache.size(), cachedChars};
  }

  private static void checkNesting(JsonNode schema, String param) {
    record Level(JsonNode node, int depth) {}
    Deque<Level> pending = new ArrayDeque<>();
    pending.push(new Level(schema, 1));
    while (!pending.isEmpty()) {
      Level level = pending.pop();
      if (level.depth() > MAX_NESTING) {
        throw new InvalidSchemaException(
            param, "the schema nests deeper than " + MAX_NESTING + " levels.");
      }
      for (JsonNode child : level.node()) {
        if (child.isContainerNode()) {
          pending.push(new Level(child, level.depth() + 1));
        }
      }
    }
  }

  // The dialects whose meta-schemas ship inside the validator, so none is ever fetched.
  private static final Set<String> KNOWN_DIALECTS =
      Set.of(
          "https://json-schema.org/draft/2020-12/schema",
          "https://json-schema.org/draft/2019-09/schema",
          "http://json-schema.org/draft-07/schema",
          "http://json-schema.org/draft-06/schema",
          "http://json-schema.org/draft-04/schema");
  private static final String DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema";

  private static String dialect(JsonNode schema, String param) {
    JsonNode declared = schema.get("$schema");
    if (declared == null) {
      return DEFAULT_DIALECT;
    }
    String uri = declared.isTextual() ? declared.asText() : "";
    String normalized = uri.endsWith("#") ? uri.substring(0, uri.length() - 1) : uri;
    if (normalized.startsWith("http://json-schema.org/draft/20")) {
      normalized = "https" + normalized.substring("http".length());
    }
    if (!KNOWN_DIALECTS.contains(normalized)) {
      throw new InvalidSchemaException(
          param,
          "unsupported $schema "
              + declared
              + "; use JSON Schema 2020-12 (the default when $schema is absent), 2019-09 or"
              + " draft-07/06/04.");
    }
    return normalized;
  }

  private void checkAgainstMetaSchema(JsonNode schema, String dialect, String param) {
    Schema meta = metaSchema(dialect);
    List<Error> errors;
    try {
      errors = meta.validate(schema);
    } catch (RuntimeException | StackOverflowError e) {
      throw new InvalidSchemaException(param, "the schema could not be checked: " + e);
    }
    if (!errors.isEmpty()) {
      Error first = errors.get(0);
      throw new InvalidSchemaException(
          param,
          "not a valid JSON Schema: "
              + first.toString()
              + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more problems)" : "")
              + ".");
    }
  }

  private synchronized Schema metaSchema(String dialect) {
    return metaSchemas.computeIfAbsent(dialect, uri -> registry.getSchema(SchemaLocation.of(uri)));
  }

  private Schema compileChecked(JsonNode schema, String param) {
    try {
      Schema compiled = registry.getSchema(schema);
      // Validators are built lazily; one validation builds the top level, where a schema the
      // checks above let through would still fail, before any answer depends on it.
      compiled.validate(NullNode.getInstance());
      return compiled;
    } catch (RuntimeException | StackOverflowError e) {
      throw new InvalidSchemaException(
          param, "the schema could not be compiled: " + e.getMessage() + ".");
    }
  }

  private synchronized Schema lookup(String text) {
    return cache.get(text);
  }

  private synchronized void store(String text, Schema compiled) {
    if (text.length() > cacheChars || cache.containsKey(text)) {
      return;
    }
    cache.put(text, compiled);
    cachedChars += text.length();
    var eldest = cache.entrySet().iterator();
    while (cachedChars > cacheChars && eldest.hasNext()) {
      cachedChars -= eldest.next().getKey().length();
      eldest.remove();
    }
  }
}
