package dev.ballast.core.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Trace and span ids derived from run ids by hashing, shared by the model-call chain (which sends
 * an attempt's {@code traceparent} upstream before the attempt is journaled) and the telemetry that
 * later derives the same spans from the journal. Both must compute the same ids, so the hashing
 * lives here, in the framework-free core. Stateless and thread-safe.
 */
public final class TraceIds {
  private static final HexFormat HEX = HexFormat.of();
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  private TraceIds() {}

  /**
   * The run whose trace a run belongs to: a pipeline's model call {@code prun_x/stage/1} → {@code
   * prun_x}.
   */
  public static String traceRoot(String runId) {
    int slash = runId.indexOf('/');
    return slash < 0 ? runId : runId.substring(0, slash);
  }

  /** The trace of a run that no caller's {@code traceparent} placed in a trace of its own. */
  public static String traceId(String runId) {
    String id = hash(32, "trace", traceRoot(runId));
    return ZERO_TRACE.equals(id) ? "0".repeat(31) + "1" : id;
  }

  /**
   * The span of attempt number {@code attempt} of the run segment that began at entry {@code
   * firstSeq}: known before the attempt is made, so it can be sent upstream as its parent span.
   */
  public static String attemptSpanId(String runId, int firstSeq, int attempt) {
    return spanId("attempt", runId, Integer.toString(firstSeq), Integer.toString(attempt));
  }

  /** A W3C {@code traceparent} naming a sampled span. */
  public static String traceparent(String traceId, String spanId) {
    return "00-" + traceId + "-" + spanId + "-01";
  }

  /** A 16-hex-digit span id hashed from {@code parts}, never all zeros. */
  public static String spanId(String... parts) {
    String id = hash(16, parts);
    return ZERO_SPAN.equals(id) ? "0".repeat(15) + "1" : id;
  }

  /** The first {@code hexDigits} hex digits of the SHA-256 of {@code parts}, each terminated. */
  public static String hash(int hexDigits, String... parts) {
    MessageDigest digest = sha256();
    for (String part : parts) {
      digest.update(part.getBytes(StandardCharsets.UTF_8));
      // A separator no run id or stage name contains, so ("a", "bc") and ("ab", "c") differ.
      digest.update((byte) 0);
    }
    return HEX.formatHex(digest.digest(), 0, hexDigits / 2);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
