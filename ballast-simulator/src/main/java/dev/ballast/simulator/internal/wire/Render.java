package dev.ballast.simulator.internal.wire;

import dev.ballast.simulator.Drift;
import dev.ballast.simulator.internal.Plan;
import java.time.Instant;

/**
 * The per-answer values every wire format prints, with the drifts already applied.
 *
 * @param model the model the answer claims to come from
 * @param usage whether usage is reported
 */
public record Render(
    String id,
    String model,
    Instant created,
    String fingerprint,
    boolean renamedFields,
    boolean toolArgsDrift,
    boolean usage) {

  /** The suffix a drifting model appends to the requested name. */
  public static final String MODEL_DRIFT_SUFFIX = "-2026-11-01";

  /** The {@code system_fingerprint} of an answer whose spec names none. */
  public static final String DEFAULT_FINGERPRINT = "fp_sim_0001";

  /**
   * The name a model answers under: the requested name without its directives ({@code sim} for
   * {@code sim:drift=fenced_json}), as a real provider names its model and never the request's
   * options; a simulated fault is no part of the model's identity.
   */
  static String baseName(String requested) {
    int colon = requested == null ? -1 : requested.indexOf(':');
    return colon < 0 ? requested : requested.substring(0, colon);
  }

  public static Render of(Plan plan, Instant now) {
    var spec = plan.spec();
    String model = spec.modelId() == null ? baseName(plan.model()) : spec.modelId();
    return new Render(
        Long.toString(plan.sequence()),
        spec.drifts(Drift.MODEL) ? model + MODEL_DRIFT_SUFFIX : model,
        now,
        spec.drifts(Drift.FINGERPRINT)
            ? "fp_sim_" + Long.toHexString(0x1000 + plan.sequence())
            : spec.fingerprint() == null ? DEFAULT_FINGERPRINT : spec.fingerprint(),
        spec.drifts(Drift.RENAMED_FIELDS),
        spec.drifts(Drift.TOOL_ARGS_OBJECT),
        !spec.noUsage());
  }
}
