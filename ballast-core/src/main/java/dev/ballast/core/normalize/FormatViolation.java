package dev.ballast.core.normalize;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;

/**
 * A provider answer that cannot be passed on as success: invalid tool-call JSON, output that does
 * not match the requested schema. Recorded, counted for drift, and returned to the client as an
 * {@code upstream_format_error}.
 */
public final class FormatViolation extends ProviderException {
  /**
   * What a violation broke. The journal keeps a violation's message, not its kind, so the kind is
   * read back from the message ({@link #kindOf}); the validator's messages begin accordingly.
   */
  public enum Kind {
    /** A tool call without a name, or whose arguments are empty or not JSON. */
    TOOL_ARGUMENTS,
    /** Structured output that is not JSON, not an object, or not of the requested schema. */
    SCHEMA,
    /** Anything else: an answer the adapter could not read. */
    OTHER
  }

  static final String TOOL_CALL_PREFIX = "tool call ";
  static final String NAMELESS_TOOL_CALL = "a tool call has no function name";
  static final String OUTPUT_PREFIX = "output ";

  public FormatViolation(String message) {
    super(ErrorClass.FORMAT_VIOLATION, message);
  }

  /** The kind of the violation that produced {@code message} (a journaled attempt's error). */
  public static Kind kindOf(String message) {
    if (message == null) {
      return Kind.OTHER;
    }
    if (message.startsWith(TOOL_CALL_PREFIX) || message.equals(NAMELESS_TOOL_CALL)) {
      return Kind.TOOL_ARGUMENTS;
    }
    return message.startsWith(OUTPUT_PREFIX) ? Kind.SCHEMA : Kind.OTHER;
  }
}
