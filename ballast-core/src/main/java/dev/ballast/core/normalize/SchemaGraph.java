package dev.ballast.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks of a client's schema that its meta-schema cannot express, made on a schema already
 * valid against it: references stay inside the document and resolve, no reference cycle applies to
 * the same value forever, regular expressions compile, no {@code enum} is empty, no dynamic
 * references and no {@code $id} below the root (which would change what {@code #} means).
 *
 * <p>A cycle is only a problem when it never descends into the value: {@code {"$ref": "#"}} or
 * {@code allOf: [{"$ref": "#/$defs/a"}]} with {@code a} pointing back make a validator recurse on
 * the same value until the stack overflows, whereas a tree type ({@code items: {"$ref": "#"}})
 * recurses once per level of the value and ends with it. So the graph checked for cycles has an
 * edge only for the keywords that apply a subschema to the same value: {@code $ref}, {@code allOf},
 * {@code anyOf}, {@code oneOf}, {@code not}, {@code if}/{@code then}/{@code else} and {@code
 * dependentSchemas}.
 */
final class SchemaGraph {
  private static final Set<String> SCHEMA_MAPS =
      Set.of("properties", "patternProperties", "$defs", "definitions", "dependentSchemas");
  private static final Set<String> SCHEMA_VALUES =
      Set.of(
          "additionalProperties",
          "unevaluatedProperties",
          "items",
          "contains",
          "propertyNames",
          "not",
          "if",
          "then",
          "else",
          "unevaluatedItems",
          "additionalItems",
          "contentSchema");
  private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
  private static final Set<String> IN_PLACE = Set.of("not", "if", "then", "else");

  private final JsonNode root;
  private final String param;
  private final Map<String, String> anchors = new HashMap<>();
  // Pointer of a schema → pointers of the schemas it applies to the same value.
  private final Map<String, List<String>> inPlace = new HashMap<>();
  private final Map<String, String> refs = new HashMap<>();

  private SchemaGraph(JsonNode root, String param) {
    this.root = root;
    this.param = param;
  }

  /** Throws {@link InvalidSchemaException} naming the first problem found. */
  static void check(JsonNode schema, String param) {
    SchemaGraph graph = new SchemaGraph(schema, param);
    graph.walk(schema, "");
    graph.resolveRefs();
    graph.findCycle();
  }

  private void walk(JsonNode schema, String pointer) {
    if (!schema.isObject()) {
      return; // true/false schemas; anything else the meta-schema already refused
    }
    checkKeywords(schema, pointer);
    List<String> sameValue = inPlace.computeIfAbsent(pointer, p -> new ArrayList<>());
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String keyword = field.getKey();
      JsonNode value = field.getValue();
      String at = pointer + "/" + escape(keyword);
      if (SCHEMA_MAPS.contains(keyword) && value.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> m = value.fields(); m.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = m.next();
          String child = at + "/" + escape(entry.getKey());
          if (keyword.equals("patternProperties")) {
            checkRegex(entry.getKey(), at);
          }
          if (keyword.equals("dependentSchemas")) {
            sameValue.add(child);
          }
          walk(entry.getValue(), child);
        }
      } else if (SCHEMA_VALUES.contains(keyword)) {
        if (IN_PLACE.contains(keyword)) {
          sameValue.add(at);
        }
        walkEach(value, at, false, sameValue);
      } else if (SCHEMA_LISTS.contains(keyword)) {
        walkEach(value, at, !keyword.equals("prefixItems"), sameValue);
      }
    }
  }

  /** Walks a schema, or each schema of an array (draft-07 {@code items} arrays included). */
  private void walkEach(JsonNode value, String at, boolean inPlaceItems, List<String> sameValue) {
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        if (inPlaceItems) {
          sameValue.add(at + "/" + i);
        }
        walk(value.get(i), at + "/" + i);
      }
    } else {
      walk(value, at);
    }
  }

  private void checkKeywords(JsonNode schema, String pointer) {
    String where = pointer.isEmpty() ? "the schema's root" : "#" + pointer;
    for (String dynamic : List.of("$dynamicRef", "$recursiveRef")) {
      if (schema.has(dynamic)) {
        throw refused(dynamic + " at " + where + " is not supported; use $ref.");
      }
    }
    if (schema.has("$id") && !pointer.isEmpty()) {
      throw refused("$id at " + where + " is not supported below the root.");
    }
    if (schema.has("$schema") && !pointer.isEmpty()) {
      throw refused("$schema at " + where + " is only allowed at the root.");
    }
    JsonNode anchor = schema.get("$anchor");
    if (anchor != null && anchor.isTextual()) {
      anchors.put(anchor.asText(), pointer);
    }
    JsonNode ref = schema.get("$ref");
    if (ref != null) {
      String target = ref.asText();
      if (!target.startsWith("#")) {
        throw refused(
            "$ref \""
                + target
                + "\" at "
                + where
                + " points outside the schema; only local references (\"#/$defs/name\") are"
                + " supported.");
      }
      refs.put(pointer, target);
    }
    JsonNode pattern = schema.get("pattern");
    if (pattern != null && pattern.isTextual()) {
      checkRegex(pattern.asText(), pointer + "/pattern");
    }
    JsonNode values = schema.get("enum");
    if (values != null && values.isArray() && values.isEmpty()) {
      throw refused("enum at " + where + " is empty, so no value could ever match it.");
    }
  }

  private void checkRegex(String regex, String pointer) {
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw refused(
          "the regular expression \""
              + regex
              + "\" at #"
              + pointer
              + " is invalid: "
              + e.getDescription()
              + ".");
    }
  }

  private void resolveRefs() {
    for (Map.Entry<String, String> ref : refs.entrySet()) {
      String target = ref.getValue();
      String resolved = resolve(target);
      if (resolved == null) {
        throw refused(
            "$ref \""
                + target
                + "\" at "
                + (ref.getKey().isEmpty() ? "the schema's root" : "#" + ref.getKey())
                + " does not resolve to a schema in the document.");
      }
      inPlace.computeIfAbsent(ref.getKey(), p -> new ArrayList<>()).add(resolved);
    }
  }

  /** The pointer a local reference names, normalized like the walk's, or null. */
  private String resolve(String target) {
    String fragment = URLDecoder.decode(target.substring(1), StandardCharsets.UTF_8);
    if (fragment.isEmpty()) {
      return "";
    }
    if (!fragment.startsWith("/")) {
      return anchors.get(fragment);
    }
    JsonNode node = root.at(fragment);
    return node.isMissingNode() || !(node.isObject() || node.isBoolean()) ? null : fragment;
  }

  private void findCycle() {
    Set<String> done = new HashSet<>();
    for (String start : inPlace.keySet()) {
      List<String> path = new ArrayList<>();
      if (cycleFrom(start, path, new HashSet<>(), done)) {
        throw refused(
            "the schema applies itself to the same value without end ("
                + String.join(" → ", path.stream().map(p -> "#" + p).toList())
                + "); a $ref cycle must pass through a keyword that descends into the value,"
                + " such as properties or items.");
      }
    }
  }

  private boolean cycleFrom(String at, List<String> path, Set<String> onPath, Set<String> done) {
    if (onPath.contains(at)) {
      path.add(at);
      return true;
    }
    if (done.contains(at)) {
      return false;
    }
    onPath.add(at);
    path.add(at);
    for (String next : inPlace.getOrDefault(at, List.of())) {
      if (cycleFrom(next, path, onPath, done)) {
        return true;
      }
    }
    path.remove(path.size() - 1);
    onPath.remove(at);
    done.add(at);
    return false;
  }

  private InvalidSchemaException refused(String problem) {
    return new InvalidSchemaException(param, problem);
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
