package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads who may do what ({@code admins}, {@code managed_keys}, {@code collections.*.owner} and
 * {@code readers}, {@code pipelines.*.tenants}) into an {@link AccessConfig}, and checks the rules
 * that span sections: a key hash names one tenant, every name refers to a configured tenant, and
 * every tenant that may submit a pipeline may read each collection the pipeline retrieves from.
 */
final class AccessConfigReader {
  private final ConfigReader r;

  AccessConfigReader(ConfigReader r) {
    this.r = r;
  }

  AccessConfig read(
      JsonNode root, Map<String, TenantConfig> tenants, Map<String, CollectionConfig> collections) {
    checkKeyHashes(tenants);
    Set<String> known = tenants.keySet();
    Set<String> admins = tenantList(root, "", "admins", known);
    Duration ttl = keyCacheTtl(root.get("managed_keys"));
    Map<String, CollectionAccess> access = new LinkedHashMap<>();
    JsonNode collectionNodes = root.get("collections");
    for (String name : collections.keySet()) {
      JsonNode node = collectionNodes == null ? null : collectionNodes.get(name);
      access.put(name, collection("collections." + name, node, known));
    }
    Map<String, Set<String>> pipelineTenants = new LinkedHashMap<>();
    JsonNode pipelines = root.get("pipelines");
    if (pipelines != null && pipelines.isObject()) {
      pipelines
          .properties()
          .forEach(
              e -> {
                if (e.getValue() != null && e.getValue().has("tenants")) {
                  pipelineTenants.put(
                      e.getKey(),
                      tenantList(e.getValue(), "pipelines." + e.getKey(), "tenants", known));
                }
              });
    }
    AccessConfig config = new AccessConfig(admins, access, pipelineTenants, ttl);
    if (pipelines != null && pipelines.isObject()) {
      pipelines.properties().forEach(e -> checkRetrievals(e.getKey(), e.getValue(), config, known));
    }
    return config;
  }

  /** A key names one tenant: the same hash twice would make the first tenant's key the second's. */
  private void checkKeyHashes(Map<String, TenantConfig> tenants) {
    Map<String, String> seen = new HashMap<>();
    for (TenantConfig t : tenants.values()) {
      List<String> hashes = t.keyHashes();
      for (int i = 0; i < hashes.size(); i++) {
        String path = "tenants." + t.name() + ".keys[" + i + "]";
        String first = seen.putIfAbsent(hashes.get(i), path);
        if (first != null) {
          r.error(
              path,
              "this key hash is already listed at "
                  + first
                  + "; a key belongs to exactly one tenant (make another with: ballast keys new)");
        }
      }
    }
  }

  private Duration keyCacheTtl(JsonNode node) {
    r.object(node, "managed_keys", Set.of("cache_ttl"));
    Duration ttl =
        r.duration(node, "managed_keys", "cache_ttl", AccessConfig.DEFAULT_KEY_CACHE_TTL);
    if (ttl.compareTo(Duration.ofMinutes(5)) > 0) {
      r.error(
          "managed_keys.cache_ttl",
          "must be at most 5m (a revoked key is honoured this long), but was " + ttl);
      return AccessConfig.DEFAULT_KEY_CACHE_TTL;
    }
    return ttl;
  }

  private CollectionAccess collection(String path, JsonNode node, Set<String> known) {
    String owner = r.string(node, path, "owner", null, false);
    if (owner != null && !known.contains(owner)) {
      r.error(path + ".owner", "unknown tenant \"" + owner + "\"" + known(known));
      owner = null;
    }
    Set<String> readers =
        node != null && node.has("readers") && !node.get("readers").isNull()
            ? tenantList(node, path, "readers", known)
            : null;
    if (owner != null && readers != null) {
      r.error(
          path + ".readers",
          "an owned collection is read by its owner (and administrators) only; remove owner to"
              + " share it with readers");
      readers = null;
    }
    return new CollectionAccess(owner, readers);
  }

  /** A list of tenant names at {@code parent.key}, each checked against the configured tenants. */
  private Set<String> tenantList(JsonNode parent, String path, String key, Set<String> known) {
    List<String> names = r.strings(parent, path, key);
    Set<String> result = new LinkedHashSet<>();
    String listPath = ConfigReader.join(path, key);
    for (int i = 0; i < names.size(); i++) {
      if (!known.contains(names.get(i))) {
        r.error(listPath + "[" + i + "]", "unknown tenant \"" + names.get(i) + "\"" + known(known));
      } else {
        result.add(names.get(i));
      }
    }
    return result;
  }

  /**
   * Every tenant that may submit the pipeline must be able to read each collection a {@code
   * retrieve} stage of it searches; otherwise its runs would fail at that stage, or, worse, a
   * configuration mistake would hand one tenant's documents to another.
   */
  private void checkRetrievals(
      String pipeline, JsonNode node, AccessConfig access, Set<String> tenants) {
    JsonNode stages = node == null ? null : node.get("stages");
    if (stages == null || !stages.isArray()) {
      return;
    }
    Set<String> submitters =
        access.pipelineTenants().getOrDefault(pipeline, new TreeSet<>(tenants));
    for (int i = 0; i < stages.size(); i++) {
      JsonNode stage = stages.get(i);
      if (!stage.isObject()
          || !"retrieve".equals(stage.path("type").asText())
          || !stage.path("collection").isTextual()) {
        continue;
      }
      String collection = stage.get("collection").asText();
      List<String> blind =
          new TreeSet<>(submitters).stream().filter(t -> !access.canRead(t, collection)).toList();
      if (!blind.isEmpty()) {
        r.error(
            "pipelines." + pipeline + ".stages[" + i + "].collection",
            (blind.size() == 1 ? "tenant " : "tenants ")
                + String.join(", ", blind)
                + " may submit pipeline "
                + pipeline
                + " but cannot read collection \""
                + collection
                + "\" ("
                + describe(access.collection(collection))
                + "); list only its readers in pipelines."
                + pipeline
                + ".tenants, or grant them the collection");
      }
    }
  }

  private static String describe(CollectionAccess access) {
    if (access == null) {
      return "no such collection is configured under collections";
    }
    if (!access.shared()) {
      return "owned by " + access.owner();
    }
    return access.readers().isEmpty()
        ? "shared with no tenant"
        : "shared with " + String.join(", ", new TreeSet<>(access.readers()));
  }

  private static String known(Set<String> names) {
    return names.isEmpty()
        ? " (no tenants are configured)"
        : " (configured: " + String.join(", ", new TreeSet<>(names)) + ")";
  }
}
