package dev.ballast.telemetry.internal;

import dev.ballast.core.journal.TraceIds;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Trace and span ids derived from run ids by hashing, so that deriving a run's spans twice (a spool
 * redelivered after a crash, an operator re-exporting a run from the store) yields the same ids,
 * and so that a pipeline's model call can name its stage span as parent without having seen it.
 */
public final class SpanIds {
  private static final HexFormat HEX = HexFormat.of();
  private static final MessageDigest SHA_256 = sha256();
  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

  private SpanIds() {}

  /**
   * The run whose trace a run belongs to: a pipeline's model call {@code prun_x/stage/1} → {@code
   * prun_x}.
   */
  public static String traceRoot(String runId) {
    int slash = runId.indexOf('/');
    return slash < 0 ? runId : runId.substring(0, slash);
  }

  public static String traceId(String runId) {
    String id = hash(32, "trace", traceRoot(runId));
    return TraceId.isValid(id) ? id : "0".repeat(31) + "1";
  }

  /** The span of a run segment that begins with the entry numbered {@code firstSeq}. */
  public static String runSpanId(String runId, int firstSeq) {
    return spanId("run", runId, Integer.toString(firstSeq));
  }

  /**
   * An attempt's span: by the run segment and the attempt's number, not its journal entry, because
   * the chain sends it upstream as {@code traceparent} before the attempt is journaled ({@link
   * TraceIds#attemptSpanId}).
   */
  public static String attemptSpanId(String runId, int firstSeq, int attempt) {
    return TraceIds.attemptSpanId(runId, firstSeq, attempt);
  }

  /** A stage attempt's span; a stage attempt runs at most once per lease, named by its fence. */
  public static String stageSpanId(String runId, String stage, int attempt, long fence) {
    return spanId("stage", runId, stage, Integer.toString(attempt), Long.toString(fence));
  }

  /** A span derived from one journal entry of a run (a retrieval, an effect's tool call). */
  public static String entrySpanId(String kind, String runId, int seq) {
    return spanId(kind, runId, Integer.toString(seq));
  }

  public static SpanContext sampled(String traceId, String spanId) {
    return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  /**
   * Parses a W3C {@code traceparent} header value into a remote span context.
   *
   * @throws IllegalArgumentException when the value is not a valid traceparent
   */
  public static SpanContext parseTraceparent(String traceparent) {
    var m = TRACEPARENT.matcher(traceparent.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()
        || m.group(1).equals("ff")
        || ("00".equals(m.group(1)) && m.group(5) != null)) {
      throw new IllegalArgumentException("not a W3C traceparent: \"" + traceparent + "\"");
    }
    String traceId = m.group(2);
    String spanId = m.group(3);
    if (!TraceId.isValid(traceId) || !SpanId.isValid(spanId)) {
      throw new IllegalArgumentException(
          "traceparent has an all-zero trace or span id: \"" + traceparent + "\"");
    }
    byte flags = (byte) Integer.parseInt(m.group(4), 16);
    return SpanContext.createFromRemoteParent(
        traceId, spanId, TraceFlags.fromByte(flags), TraceState.getDefault());
  }

  public static String traceparent(SpanContext context) {
    return "00-"
        + context.getTraceId()
        + "-"
        + context.getSpanId()
        + "-"
        + context.getTraceFlags().asHex();
  }

  private static String spanId(String... parts) {
    String id = hash(16, parts);
    return SpanId.isValid(id) ? id : "0".repeat(15) + "1";
  }

  private static String hash(int hexDigits, String... parts) {
    MessageDigest digest = newDigest();
    for (String part : parts) {
      digest.update(part.getBytes(StandardCharsets.UTF_8));
      // A separator no run id or stage name contains, so ("a", "bc") and ("ab", "c") differ.
      digest.update((byte) 0);
    }
    return HEX.formatHex(digest.digest(), 0, hexDigits / 2);
  }

  // Cloning a prototype skips the provider lookup of MessageDigest.getInstance for every span.
  private static MessageDigest newDigest() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      return sha256();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
