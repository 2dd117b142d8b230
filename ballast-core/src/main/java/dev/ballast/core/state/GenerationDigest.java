package dev.ballast.core.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content checksum of one generation's changes: which chunks (id and content hash) became live
 * and which (id) retired. It is a sum modulo 2<sup>64</sup> of a SHA-256 prefix of each change, so
 * it does not depend on the order in which the changes are seen: the store computes it while it
 * commits, from its rows when it fills in generations committed before it kept the record, and an
 * index from the chunks it applied, and all three agree. It guards against accidents (a snapshot of
 * another database, a restored backup, a lost page), not against an adversary.
 *
 * <p>Not thread-safe.
 */
public final class GenerationDigest {
  private static final HexFormat HEX = HexFormat.of();

  private final MessageDigest sha = sha256();
  private long sum;
  private int added;
  private int retired;

  /** Counts a chunk that became live. */
  public void added(String chunkId, String contentHash) {
    sum += prefix("+" + chunkId + ":" + contentHash);
    added++;
  }

  /** Counts a chunk that retired. */
  public void retired(String chunkId) {
    sum += prefix("-" + chunkId);
    retired++;
  }

  public int addedCount() {
    return added;
  }

  public int retiredCount() {
    return retired;
  }

  /** The checksum of the changes counted so far, as 16 hex digits. */
  public String digest() {
    return HEX.toHexDigits(sum);
  }

  /**
   * The checksum of a generation and every one before it: SHA-256 over the previous generation's
   * chain (empty before generation 1) and this generation's number, counts and digest.
   */
  public static String chain(
      String previousChain, long generation, int added, int retired, String digest) {
    String text =
        previousChain + "\n" + generation + "\n" + added + "\n" + retired + "\n" + digest + "\n";
    return HEX.formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private long prefix(String change) {
    byte[] h = sha.digest(change.getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return v;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
