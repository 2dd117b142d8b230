package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The typed parameters of a stage: one record per built-in stage type, plus {@link CodeSpec} for a
 * stage whose handler is given in code. The configuration reads each from its YAML with paths in
 * its errors; an engine dispatches on the record's type to the stage's handler.
 *
 * <p>{@link #params()} is the record's canonical JSON, the form a {@link StageDefinition} carries
 * and the pipeline's version hashes; {@link #of} reads it back, so a definition built in code or
 * from an edited definition (a what-if) yields the same typed view as one read from YAML.
 */
public sealed interface StageSpec
    permits GenerateSpec,
        EmbedSpec,
        RetrieveSpec,
        AssembleContextSpec,
        ValidateSpec,
        TransformSpec,
        HttpActionSpec,
        MemoryUpdateSpec,
        CodeSpec {

  /** The types {@link #of} reads. */
  Set<String> TYPES =
      Set.of(
          GenerateSpec.TYPE,
          EmbedSpec.TYPE,
          RetrieveSpec.TYPE,
          AssembleContextSpec.TYPE,
          ValidateSpec.TYPE,
          TransformSpec.TYPE,
          HttpActionSpec.TYPE,
          MemoryUpdateSpec.TYPE,
          CodeSpec.TYPE);

  /** The stage type as written in a configuration ({@code generate}, {@code http_action}...). */
  String type();

  /** The canonical parameters; a new node on each call. */
  ObjectNode params();

  /** The dependency a stage of this spec waits on when its policy names none; null for none. */
  default String defaultDependency() {
    return null;
  }

  /** Whether the stage changes something outside the run, recording its effects in the ledger. */
  default boolean effectful() {
    return false;
  }

  /**
   * The spec of a stage of {@code type} with the canonical {@code params}.
   *
   * @throws IllegalArgumentException when the type is not known or a parameter is missing or
   *     invalid
   */
  static StageSpec of(String type, ObjectNode params) {
    ObjectNode p = params == null ? Params.empty() : params;
    return switch (type) {
      case GenerateSpec.TYPE -> GenerateSpec.fromParams(p);
      case EmbedSpec.TYPE -> EmbedSpec.fromParams(p);
      case RetrieveSpec.TYPE -> RetrieveSpec.fromParams(p);
      case AssembleContextSpec.TYPE -> AssembleContextSpec.fromParams(p);
      case ValidateSpec.TYPE -> ValidateSpec.fromParams(p);
      case TransformSpec.TYPE -> TransformSpec.fromParams(p);
      case HttpActionSpec.TYPE -> HttpActionSpec.fromParams(p);
      case MemoryUpdateSpec.TYPE -> MemoryUpdateSpec.fromParams(p);
      case CodeSpec.TYPE -> CodeSpec.fromParams(p);
      default -> throw new IllegalArgumentException("unknown stage type \"" + type + "\"");
    };
  }
}
