package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One stage of a pipeline as declared.
 *
 * @param name unique within its pipeline; later stages refer to its output by this name
 * @param type a built-in type ({@code generate}, {@code http_action}, ...) or {@code java} for a
 *     handler given in code
 * @param params the type's parameters, e.g. the model group and prompt of {@code generate}; part of
 *     the pipeline's version
 */
public record StageDefinition(String name, String type, StagePolicy policy, ObjectNode params) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  public StageDefinition {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "stage name must match [a-z0-9][a-z0-9_-]{0,62}, but was \"" + name + "\"");
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(policy, "policy");
    params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
  }

  /** The parameters; a copy, so the definition stays immutable. */
  @Override
  public ObjectNode params() {
    return params.deepCopy();
  }

  /**
   * The typed parameters, read from {@link #params}.
   *
   * @throws IllegalArgumentException when the type is not known or its parameters are invalid
   */
  public StageSpec spec() {
    return StageSpec.of(type, params);
  }

  /** A text parameter, or null. */
  public String param(String key) {
    return params.hasNonNull(key) ? params.get(key).asText() : null;
  }

  static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
