package dev.ballast.simulator;

import dev.ballast.simulator.internal.SpecParser;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The behaviour of one simulated model, parsed from a spec string.
 *
 * <h2>Grammar</h2>
 *
 * <pre>
 * model     := name [ ":" directives ]        e.g. sim:error=0.5@503,latency=20ms..200ms
 * directives:= directive ( "," directive )*
 * directive := key [ "=" value ]
 * duration  := number ( "ms" | "s" | "m" )     e.g. 250ms, 2s
 * </pre>
 *
 * A model whose name is a configured profile takes the profile's directives, and directives after
 * the colon are applied on top. Any other model without a colon is healthy. Directives:
 *
 * <ul>
 *   <li>{@code latency=D}, {@code latency=D1..D2} (uniform) or {@code latency=p50:D1/p99:D2}
 *       (log-normal with that median and 99th percentile): delay before the response or first byte
 *   <li>{@code token_delay=D}: delay between streamed tokens
 *   <li>{@code tokens=N}: answer length in tokens (default 16)
 *   <li>{@code error=R@S}: fail a fraction R (0..1) of requests with status S (default 503)
 *   <li>{@code status=S} with optional {@code retry_after=SECONDS}: fail every request with S
 *   <li>{@code fail_first=N@S}: the first N requests fail with S (default 500), then healthy
 *   <li>{@code flap=D}: 503 for D after the simulator starts or is reset, then healthy
 *   <li>{@code context_length}, {@code content_policy}: the provider's 400 for those cases
 *   <li>{@code reset}: connection reset before response headers
 *   <li>{@code silence}: accept the request and never answer
 *   <li>{@code first_token_delay=D}: headers sent, the first content token (or the body) delayed
 *   <li>{@code cut_after=N}: send N tokens then close the connection without the end of the stream
 *   <li>{@code stall_after=N}: send N tokens then stop sending but keep the connection open
 *   <li>{@code error_after=N}: send N tokens then the wire format's error event (OpenAI: a chunk
 *       with an {@code error} object, Anthropic: an {@code error} event with {@code
 *       overloaded_error}) and end the stream
 *   <li>{@code fault_rate=R}: {@code cut_after}, {@code stall_after} and {@code error_after} hit
 *       only a fraction R (0..1, default 1) of the answers; the others play whole
 *   <li>{@code reject_prefill}: a request whose last message is the assistant's is refused with a
 *       400 "assistant prefill not supported" (a server that takes no prefill)
 *   <li>{@code malformed_chunk}: one event with invalid JSON in the middle of the stream
 *   <li>{@code no_done}: the stream ends without {@code [DONE]} (Anthropic: without {@code
 *       message_stop})
 *   <li>{@code drift=K} (repeatable, or joined with {@code +}): {@code fenced_json}, {@code
 *       renamed_fields}, {@code tool_args_object}, {@code model}, {@code fingerprint}
 *   <li>{@code no_usage}: usage omitted
 *   <li>{@code drift_rate=R}: the drifts and {@code malformed_chunk} hit only a fraction R (0..1,
 *       default 1) of the answers; {@code drift=none} clears the drifts listed before it
 *   <li>{@code latency_factor=F}: every delay (latency, token delay, first-token delay) times F
 *   <li>{@code tokens_factor=F}: the answer length times F (at least one token)
 *   <li>{@code refusal=R}: a fraction R of the answers is a refusal ("I'm sorry, but I can't help
 *       with that.") instead of the answer
 *   <li>{@code quality_drop=R}: a fraction R of the answers is off-topic canned text of the same
 *       length that no longer echoes the prompt
 *   <li>{@code model_id=NAME}, {@code fingerprint=FP}: the model and {@code system_fingerprint} the
 *       answers name (by default the requested model and {@code fp_sim_0001})
 *   <li>{@code onset=N}req or {@code onset=D}: the directives after it apply from the request after
 *       the model's Nth, or from D after the simulator started (or was reset); repeatable, the last
 *       onset that has fired decides. Flags take {@code =false} to switch off after an onset
 * </ul>
 *
 * Failures are checked in this order: flap, fail_first, status, error, context_length,
 * content_policy, reset, silence. Instances are immutable and thread-safe.
 *
 * @param cutAfter tokens sent before the cut, or -1 for none
 * @param stallAfter tokens sent before the stall, or -1 for none
 * @param errorAfter tokens sent before the error event, or -1 for none
 * @param status a persistent failure status, or 0 for none
 * @param retryAfter the Retry-After sent with {@code status}, or null
 * @param modelId the model the answers name, or null for the requested model
 * @param fingerprint the {@code system_fingerprint} the answers carry, or null for the default
 * @param driftRate the fraction of answers the drifts and the malformed chunk apply to
 * @param faultRate the fraction of answers the cut, the stall and the error event apply to
 * @param onsets later behaviours and when they begin, in spec order; empty for a steady model
 */
public record SimulationSpec(
    Latency latency,
    Duration tokenDelay,
    int tokens,
    double errorRate,
    int errorStatus,
    int status,
    Duration retryAfter,
    int failFirst,
    int failFirstStatus,
    Duration flap,
    boolean contextLength,
    boolean contentPolicy,
    boolean reset,
    boolean silence,
    Duration firstTokenDelay,
    int cutAfter,
    int stallAfter,
    int errorAfter,
    boolean rejectPrefill,
    boolean malformedChunk,
    boolean noDone,
    Set<Drift> drifts,
    boolean noUsage,
    double refusalRate,
    double qualityDrop,
    double driftRate,
    double faultRate,
    String modelId,
    String fingerprint,
    List<Onset> onsets) {

  /** The default answer length in tokens. */
  public static final int DEFAULT_TOKENS = 16;

  /** A healthy model: no delay, no fault, 16 tokens. */
  public static final SimulationSpec HEALTHY = parse("");

  public SimulationSpec {
    drifts = Set.copyOf(drifts);
    onsets = List.copyOf(onsets);
  }

  /**
   * Parses a comma-separated directive list (the part after the colon).
   *
   * @throws InvalidSpecException naming the first directive that is unknown or has a bad value
   */
  public static SimulationSpec parse(String directives) {
    return SpecParser.parse(directives);
  }

  /**
   * The behaviour in force for one request: that of the last onset which has fired, or this spec's
   * own before any has.
   *
   * @param request the request's 1-based number for its model since the start or the last reset
   * @param sinceStart the time since the simulator started or was reset
   */
  public SimulationSpec at(long request, Duration sinceStart) {
    SimulationSpec current = this;
    for (Onset onset : onsets) {
      if (onset.fired(request, sinceStart)) {
        current = onset.spec();
      }
    }
    return current;
  }

  /** Whether the spec drifts in the given way. */
  public boolean drifts(Drift drift) {
    return drifts.contains(drift);
  }

  /**
   * A latency distribution: {@code fixed} when {@code min == max} and no percentiles, uniform
   * between min and max, or log-normal when {@code logNormal} (min is then p50, max p99).
   */
  public record Latency(Duration min, Duration max, boolean logNormal) {
    public static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO, false);
  }
}
