package dev.ballast.retrieval.internal;

import com.knuddels.jtokkit.api.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Packs a section's paragraphs into chunks of at most {@code maxTokens} cl100k tokens. Paragraphs
 * are kept whole when they fit; a longer one is cut at sentence ends, a longer sentence between
 * words, and a single longer "word" (a URL, a hash) at a token-sized character boundary. Each chunk
 * after the first begins with the last whole words of the one before, up to {@code overlapTokens}.
 * Deterministic: it depends on nothing but its input.
 */
public final class Splitter {
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=\\S)");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private record Unit(String text, String separator) {}

  private final Encoding encoding;
  private final int maxTokens;
  private final int overlapTokens;

  public Splitter(Encoding encoding, int maxTokens, int overlapTokens) {
    this.encoding = encoding;
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
  }

  /** The chunk texts of one section, none blank. */
  public List<String> split(List<String> paragraphs) {
    List<Unit> units = new ArrayList<>();
    for (String paragraph : paragraphs) {
      addUnits(paragraph, "\n\n", units);
    }
    List<String> chunks = new ArrayList<>();
    String current = null;
    for (Unit unit : units) {
      String candidate = current == null ? unit.text() : current + unit.separator() + unit.text();
      if (fits(candidate)) {
        current = candidate;
        continue;
      }
      chunks.add(current);
      String overlap = overlapOf(current);
      candidate = overlap.isEmpty() ? unit.text() : overlap + unit.separator() + unit.text();
      current = fits(candidate) ? candidate : unit.text();
    }
    if (current != null) {
      chunks.add(current);
    }
    return chunks;
  }

  private void addUnits(String text, String separator, List<Unit> units) {
    if (fits(text)) {
      units.add(new Unit(text, separator));
      return;
    }
    String[] sentences = SENTENCE_END.split(text);
    if (sentences.length > 1) {
      for (int i = 0; i < sentences.length; i++) {
        addUnits(sentences[i], i == 0 ? separator : " ", units);
      }
      return;
    }
    String sep = separator;
    StringBuilder piece = new StringBuilder();
    for (String word : WHITESPACE.split(text.strip())) {
      String candidate = piece.isEmpty() ? word : piece + " " + word;
      if (fits(candidate)) {
        piece.setLength(0);
        piece.append(candidate);
        continue;
      }
      if (!piece.isEmpty()) {
        units.add(new Unit(piece.toString(), sep));
        sep = " ";
        piece.setLength(0);
      }
      if (fits(word)) {
        piece.append(word);
      } else {
        for (String part : hardSplit(word)) {
          units.add(new Unit(part, sep));
          sep = "";
        }
        sep = " ";
      }
    }
    if (!piece.isEmpty()) {
      units.add(new Unit(piece.toString(), sep));
    }
  }

  /** Cuts a word with no spaces into the longest prefixes that fit, by binary search. */
  private List<String> hardSplit(String word) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (start < word.length()) {
      int lo = start + 1;
      int hi = word.length();
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (fits(word.substring(start, mid))) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      // Never split a surrogate pair: a lone half would not survive the round trip to UTF-8.
      if (lo < word.length() && Character.isHighSurrogate(word.charAt(lo - 1)) && lo - 1 > start) {
        lo--;
      }
      parts.add(word.substring(start, lo));
      start = lo;
    }
    return parts;
  }

  /** The longest suffix of whole words (never the whole chunk) within the overlap budget. */
  private String overlapOf(String chunk) {
    if (overlapTokens == 0) {
      return "";
    }
    List<Integer> starts = new ArrayList<>();
    for (int i = 1; i < chunk.length(); i++) {
      if (!Character.isWhitespace(chunk.charAt(i)) && Character.isWhitespace(chunk.charAt(i - 1))) {
        starts.add(i);
      }
    }
    int lo = 0;
    int hi = starts.size();
    // Find the first start whose suffix fits; suffixes shrink as the start moves right.
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (count(chunk.substring(starts.get(mid))) <= overlapTokens) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo == starts.size() ? "" : chunk.substring(starts.get(lo));
  }

  private boolean fits(String text) {
    return count(text) <= maxTokens;
  }

  private int count(String text) {
    return Tokens.count(encoding, text);
  }
}
