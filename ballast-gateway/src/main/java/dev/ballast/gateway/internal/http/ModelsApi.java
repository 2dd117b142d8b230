package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.config.ProviderType;

/**
 * {@code GET /v1/models}: the model groups, which are the names clients use. A group served only by
 * the simulator says so in {@code owned_by}, so nobody mistakes it for a real model.
 */
public final class ModelsApi {
  // Replaced whole on a reload.
  private volatile ObjectNode list;

  public ModelsApi(BallastConfig config) {
    this.list = list(config);
  }

  /** Lists a reloaded configuration's model groups from now on. */
  public void reconfigure(BallastConfig config) {
    this.list = list(config);
  }

  private static ObjectNode list(BallastConfig config) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    config.groups().values().stream()
        .sorted(java.util.Comparator.comparing(GroupConfig::name))
        .forEach(
            g -> {
              ObjectNode model = data.addObject();
              model.put("id", g.name());
              model.put("object", "model");
              model.put("created", 0);
              boolean simulated =
                  g.deployments().stream()
                      .allMatch(
                          d ->
                              config.provider(config.deployment(d).provider()).type()
                                  == ProviderType.SIMULATOR);
              model.put("owned_by", simulated ? "ballast-simulator" : "ballast");
              if (g.description() != null) {
                model.put("description", g.description());
              } else if (simulated) {
                model.put("description", "Ballast's simulator, not a real model");
              }
              model.set(
                  "deployments",
                  JsonNodeFactory.instance
                      .arrayNode()
                      .addAll(
                          g.deployments().stream()
                              .map(JsonNodeFactory.instance::textNode)
                              .toList()));
            });
    return root;
  }

  /** Whether {@code group} names a configured model group. */
  boolean serves(String group) {
    for (JsonNode model : list.get("data")) {
      if (model.get("id").asText().equals(group)) {
        return true;
      }
    }
    return false;
  }

  /** The model groups, or for a managed key with a list of them, the groups it may call. */
  JsonNode list(Caller caller) {
    if (caller.key() == null || caller.key().models() == null) {
      return list;
    }
    ObjectNode all = list;
    ObjectNode narrowed = all.deepCopy();
    ArrayNode data = narrowed.putArray("data");
    all.get("data")
        .forEach(
            m -> {
              if (caller.mayCall(m.get("id").asText())) {
                data.add(m);
              }
            });
    return narrowed;
  }
}
