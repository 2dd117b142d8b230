package dev.ballast.core.journal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A large journal payload (a request, a raw response), stored once in the blob table and referenced
 * from events by its SHA-256. A prompt repeated a million times costs one blob row.
 *
 * <p>The bytes travel with the payload from the hot path to the journal writer and are not
 * serialized into the event: events hold only {@code hash} and {@code size}.
 */
public final class Payload {
  private static final HexFormat HEX = HexFormat.of();
  private static final MessageDigest SHA_256 = lookUpSha256();

  private final String hash;
  private final long size;
  @JsonIgnore private final transient byte[] bytes;

  private Payload(String hash, long size, byte[] bytes) {
    this.hash = hash;
    this.size = size;
    this.bytes = bytes;
  }

  @JsonCreator
  public static Payload reference(
      @JsonProperty("hash") String hash, @JsonProperty("size") long size) {
    return new Payload(hash, size, null);
  }

  public static Payload of(byte[] content) {
    return new Payload(sha256(content), content.length, content);
  }

  public static Payload of(String content) {
    return content == null ? null : of(content.getBytes(StandardCharsets.UTF_8));
  }

  @JsonProperty
  public String hash() {
    return hash;
  }

  @JsonProperty
  public long size() {
    return size;
  }

  /** The content when this payload was created on this node, null for a reference read back. */
  @JsonIgnore
  public byte[] bytes() {
    return bytes;
  }

  public static String sha256(byte[] content) {
    return HEX.formatHex(newDigest().digest(content));
  }

  // Cloning a prototype skips the provider lookup of MessageDigest.getInstance on every payload.
  private static MessageDigest newDigest() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      return lookUpSha256();
    }
  }

  private static MessageDigest lookUpSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Payload p && p.hash.equals(hash);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "Payload[" + hash + ", " + size + " bytes]";
  }
}
