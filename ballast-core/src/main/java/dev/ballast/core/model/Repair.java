package dev.ballast.core.model;

/**
 * Something the normalization layer changed to make a provider's answer fit the model. Repairs are
 * recorded in the journal and counted for drift; they are never silent.
 */
public record Repair(Kind kind, String detail) {
  public enum Kind {
    /** Tool-call arguments arrived as a JSON object instead of a string. */
    TOOL_ARGUMENTS_OBJECT,
    /** JSON output wrapped in a Markdown code fence was unwrapped. */
    FENCED_JSON_UNWRAPPED,
    /** A field arrived under a different name than the wire format specifies. */
    RENAMED_FIELD,
    /** A malformed stream event was dropped. */
    MALFORMED_CHUNK_DROPPED,
    /** The stream ended without its terminating event and was finalized by Ballast. */
    MISSING_STREAM_TERMINATOR,
    /** Usage was missing and was counted locally. */
    USAGE_ESTIMATED
  }
}
