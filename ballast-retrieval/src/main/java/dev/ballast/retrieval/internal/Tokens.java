package dev.ballast.retrieval.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/** The jtokkit encodings, loaded once per JVM; encodings are thread-safe. */
public final class Tokens {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private Tokens() {}

  public static Encoding cl100k() {
    return REGISTRY.getEncoding(EncodingType.CL100K_BASE);
  }

  public static Encoding o200k() {
    return REGISTRY.getEncoding(EncodingType.O200K_BASE);
  }

  public static int count(Encoding encoding, String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }
}
