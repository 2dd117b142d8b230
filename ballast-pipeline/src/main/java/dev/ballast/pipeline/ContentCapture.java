package dev.ballast.pipeline;

import dev.ballast.core.journal.Payload;
import java.util.function.Predicate;

/**
 * What of a tenant's pipeline content (a run's input, its stages' outputs, its output) the journal
 * keeps: all of it, a redacted copy, or nothing. The run queue keeps the content itself whatever
 * this says, because the run needs it; this governs only the long-lived journal.
 */
@FunctionalInterface
public interface ContentCapture {
  /** Every tenant's content, as it is. */
  ContentCapture ALL = (tenant, json) -> Payload.of(json);

  /**
   * @param json the content, as JSON
   * @return the payload to journal, or null to journal none
   */
  Payload capture(String tenant, byte[] json);

  /** Whether anything of the tenant's content is kept. */
  default boolean captures(String tenant) {
    return capture(tenant, new byte[] {'{', '}'}) != null;
  }

  /** Content as it is for the tenants {@code captured} accepts, none for the others. */
  static ContentCapture when(Predicate<String> captured) {
    return (tenant, json) -> captured.test(tenant) ? Payload.of(json) : null;
  }
}
