package dev.ballast.core.normalize;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;

/**
 * A provider answer that cannot be passed on as success: invalid tool-call JSON, output that does
 * not match the requested schema. Recorded, counted for drift, and returned to the client as an
 * {@code upstream_format_error}.
 */
public final class FormatViolation extends ProviderException {
  public FormatViolation(String message) {
    super(ErrorClass.FORMAT_VIOLATION, message);
  }
}
