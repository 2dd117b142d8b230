package dev.ballast.calls.internal;

import dev.ballast.core.config.ContinuationMode;
import dev.ballast.core.model.ChatDelta;

/**
 * Drops the start of a continuation that repeats the end of the text the client already holds, so
 * that the client sees each character once. A prefilled model continues right after the prefill, so
 * only the trailing whitespace the prefill left out can come again; a model asked by instruction
 * often restarts a few words back, so the start of its answer is held until enough of it has
 * arrived (or the stream ended) and the longest piece of it that the delivered text ends with is
 * dropped. Not thread-safe: one stream's deltas arrive on one thread.
 */
final class OverlapFilter {
  // An overlap shorter than this is as likely to be a genuine repetition as an echo.
  private static final int MIN_OVERLAP = 4;
  // How much of a continuation is held back at most before it is compared.
  private static final int MAX_HOLD = 64;

  private final String delivered;
  private final ContinuationMode form;
  private final int hold;
  private final StringBuilder held = new StringBuilder();
  private boolean decided;
  private int stripped;

  OverlapFilter(String delivered, ContinuationMode form) {
    this.delivered = delivered;
    this.form = form;
    String trailing = delivered.substring(delivered.stripTrailing().length());
    this.hold =
        form == ContinuationMode.PREFILL
            ? Math.max(1, trailing.length())
            : Math.min(MAX_HOLD, delivered.length());
  }

  /** The part of {@code delta} to send now; null when all of it is held. */
  ChatDelta accept(ChatDelta delta) {
    if (decided) {
      return delta;
    }
    if (delta.content() != null) {
      held.append(delta.content());
    }
    if (held.length() < hold && delta.toolCalls().isEmpty()) {
      return null;
    }
    String text = decide();
    return text.isEmpty() && delta.toolCalls().isEmpty()
        ? null
        : new ChatDelta(text.isEmpty() ? null : text, delta.toolCalls());
  }

  /** What is still held once the stream ended, overlap removed; null when nothing is. */
  ChatDelta flush() {
    if (decided) {
      return null;
    }
    String text = decide();
    return text.isEmpty() ? null : ChatDelta.text(text);
  }

  /** How many characters of the continuation were dropped as a repetition. */
  int stripped() {
    return stripped;
  }

  private String decide() {
    decided = true;
    String text = held.toString();
    stripped = overlap(text);
    return text.substring(stripped);
  }

  private int overlap(String text) {
    if (form == ContinuationMode.PREFILL) {
      String trailing = delivered.substring(delivered.stripTrailing().length());
      int k = 0;
      while (k < trailing.length() && k < text.length() && trailing.charAt(k) == text.charAt(k)) {
        k++;
      }
      return k;
    }
    for (int k = Math.min(text.length(), delivered.length()); k >= MIN_OVERLAP; k--) {
      if (delivered.endsWith(text.substring(0, k))) {
        return k;
      }
    }
    return 0;
  }
}
