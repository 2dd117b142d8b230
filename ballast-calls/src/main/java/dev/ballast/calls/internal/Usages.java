package dev.ballast.calls.internal;

import dev.ballast.core.model.Usage;

/** Sums and differences of usage, for an answer spliced from several attempts. */
final class Usages {
  private Usages() {}

  /** {@code a + b}; a null side counts as nothing. */
  static Usage plus(Usage a, Usage b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return new Usage(
        a.inputTokens() + b.inputTokens(),
        a.outputTokens() + b.outputTokens(),
        a.cachedTokens() + b.cachedTokens(),
        a.reasoningTokens() + b.reasoningTokens(),
        a.estimated() || b.estimated());
  }

  /** {@code a - b}, never below zero; a null {@code b} takes nothing. */
  static Usage minus(Usage a, Usage b) {
    if (a == null || b == null) {
      return a;
    }
    return new Usage(
        Math.max(0, a.inputTokens() - b.inputTokens()),
        Math.max(0, a.outputTokens() - b.outputTokens()),
        Math.max(0, a.cachedTokens() - b.cachedTokens()),
        Math.max(0, a.reasoningTokens() - b.reasoningTokens()),
        a.estimated());
  }
}
