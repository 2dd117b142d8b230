package dev.ballast.calls;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.OutputCheckFailure;
import java.util.List;

/**
 * An answer failed its model group's output checks ({@code groups.NAME.checks}): the attempt fails
 * as {@link ErrorClass#OUTPUT_CHECK_FAILED}, which fails over like a format violation. The message
 * names the first rule that fired and why, never the answer's text; the answer itself travels as
 * the raw body, which reaches the journal only under the tenant's capture policy.
 */
public final class OutputCheckFailedException extends ProviderException {
  private final transient List<OutputCheckFailure> failures;

  /**
   * @param failures the rules the answer failed, first the one named in the message; not empty
   * @param rawAnswer the answer as received, or null
   */
  public OutputCheckFailedException(
      String group, List<OutputCheckFailure> failures, String rawAnswer) {
    super(
        ErrorClass.OUTPUT_CHECK_FAILED,
        0,
        null,
        null,
        "output check "
            + failures.getFirst().rule()
            + " of model group \""
            + group
            + "\" failed: "
            + failures.getFirst().reason(),
        rawAnswer,
        null);
    this.failures = List.copyOf(failures);
  }

  /** Every rule the answer failed, in the order the checks are listed. */
  public List<OutputCheckFailure> failures() {
    return failures;
  }
}
