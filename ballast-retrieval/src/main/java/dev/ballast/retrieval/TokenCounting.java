package dev.ballast.retrieval;

import com.knuddels.jtokkit.api.Encoding;
import dev.ballast.retrieval.internal.Tokens;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How prompts for one model are counted. OpenAI models are counted with their own tokenizer: {@code
 * o200k_base} for gpt-4o, gpt-4.1, gpt-4.5, gpt-5, gpt-oss and the o1/o3/o4 families, {@code
 * cl100k_base} for gpt-4 and gpt-3.5. Every other model (Claude, Gemini, Llama, Mistral...) is
 * estimated as the cl100k_base count times 1.1, rounded up, and flagged {@code approximate}: those
 * tokenizers are not available offline, and on English text they typically produce the same to some
 * 15% more tokens than cl100k, so the 10% margin makes an estimated prompt less likely to overflow
 * the real window without wasting much of it. A provider prefix ({@code openai/gpt-4o}) is ignored.
 * Thread-safe.
 *
 * @param tokenizer {@code o200k_base}, {@code cl100k_base}, or {@code cl100k_base*1.1} for the
 *     estimate
 */
public record TokenCounting(String tokenizer, boolean approximate) {
  private static final Pattern O200K =
      Pattern.compile("^(gpt-4o|chatgpt-4o|gpt-4\\.1|gpt-4\\.5|gpt-5|gpt-oss|o[134])([-.:@].*)?$");
  private static final Pattern CL100K = Pattern.compile("^(gpt-4|gpt-3\\.5|gpt-35)([-.:@].*)?$");
  static final String O200K_BASE = "o200k_base";
  static final String CL100K_BASE = "cl100k_base";
  static final String ESTIMATE = "cl100k_base*1.1";

  /** The counting for {@code model}. */
  public static TokenCounting forModel(String model) {
    String name = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
    name = name.substring(name.lastIndexOf('/') + 1);
    if (O200K.matcher(name).matches()) {
      return new TokenCounting(O200K_BASE, false);
    }
    if (CL100K.matcher(name).matches()) {
      return new TokenCounting(CL100K_BASE, false);
    }
    return new TokenCounting(ESTIMATE, true);
  }

  /** The tokens of {@code text} (0 for null or empty). */
  public int count(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    return switch (tokenizer) {
      case O200K_BASE -> Tokens.count(Tokens.o200k(), text);
      case CL100K_BASE -> Tokens.count(Tokens.cl100k(), text);
      default -> (int) Math.ceil(Tokens.count(Tokens.cl100k(), text) * 1.1);
    };
  }

  Encoding encoding() {
    return O200K_BASE.equals(tokenizer) ? Tokens.o200k() : Tokens.cl100k();
  }
}
