package dev.ballast.core.config;

import dev.ballast.core.journal.OutputCheckFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code groups.NAME.checks}: what every answer of the group must look like. Each rule is optional;
 * {@link #NONE} checks nothing. The rules judge the answer's text (its content parts joined); an
 * answer made of tool calls passes every rule but {@code non_empty}, which it passes too.
 *
 * <p>Patterns are Java regular expressions found anywhere in the text ({@code (?i)} for case
 * insensitive). A failed rule is reported by name and a reason that never quotes the answer.
 * Immutable and thread-safe.
 *
 * @param nonEmpty the answer must have some non-blank text (or a tool call)
 * @param minChars the fewest characters (code points) the text may have; 0 for no minimum
 * @param maxChars the most characters the text may have; 0 for no maximum
 * @param minTokens the fewest output tokens (as the provider billed, or counted locally); 0 for
 *     none
 * @param maxTokens the most output tokens; 0 for no maximum
 * @param refusal patterns that mark an answer as a refusal; any one found fails it
 * @param mustMatch patterns that must each be found
 * @param mustNotMatch patterns none of which may be found
 * @param stream what happens to a streamed answer, which could reach the client before it is judged
 */
public record OutputChecks(
    boolean nonEmpty,
    int minChars,
    int maxChars,
    int minTokens,
    int maxTokens,
    List<Pattern> refusal,
    List<Pattern> mustMatch,
    List<Pattern> mustNotMatch,
    StreamPolicy stream) {

  /** No checks: every answer passes. */
  public static final OutputChecks NONE =
      new OutputChecks(false, 0, 0, 0, 0, List.of(), List.of(), List.of(), StreamPolicy.RECORD);

  private static final int PATTERN_SHOWN = 80;

  /** How checks treat a streamed answer. */
  public enum StreamPolicy {
    /**
     * The answer streams to the client as it arrives; checks run once it is complete and what they
     * find is recorded in the journal, not enforced (the client already has the text). The default:
     * streaming keeps its time to first token.
     */
    RECORD,
    /**
     * The answer is held back until it is complete and checked, then sent whole, so a failed check
     * fails over like a non-streamed answer's. The client waits for the whole answer.
     */
    HOLD;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public OutputChecks {
    refusal = List.copyOf(refusal);
    mustMatch = List.copyOf(mustMatch);
    mustNotMatch = List.copyOf(mustNotMatch);
  }

  /** Whether there is any rule to check. */
  public boolean isEmpty() {
    return !nonEmpty
        && minChars == 0
        && maxChars == 0
        && minTokens == 0
        && maxTokens == 0
        && refusal.isEmpty()
        && mustMatch.isEmpty()
        && mustNotMatch.isEmpty();
  }

  /**
   * Judges one answer.
   *
   * @param text the answer's text, empty when it has none
   * @param outputTokens the answer's output tokens
   * @param toolCalls whether the answer calls tools (then only {@code non_empty} applies, and
   *     passes)
   * @return the rules the answer failed, in the order above, each {@code enforced}; empty when it
   *     passed
   */
  public List<OutputCheckFailure> failures(String text, int outputTokens, boolean toolCalls) {
    List<OutputCheckFailure> failures = new ArrayList<>();
    String t = text == null ? "" : text;
    if (toolCalls) {
      return failures;
    }
    if (nonEmpty && t.isBlank()) {
      failures.add(fail("non_empty", "the answer has no text"));
    }
    int chars = t.codePointCount(0, t.length());
    if (minChars > 0 && chars < minChars) {
      failures.add(fail("min_chars", chars + " characters, fewer than min_chars " + minChars));
    }
    if (maxChars > 0 && chars > maxChars) {
      failures.add(fail("max_chars", chars + " characters, more than max_chars " + maxChars));
    }
    if (minTokens > 0 && outputTokens < minTokens) {
      failures.add(
          fail("min_tokens", outputTokens + " output tokens, fewer than min_tokens " + minTokens));
    }
    if (maxTokens > 0 && outputTokens > maxTokens) {
      failures.add(
          fail("max_tokens", outputTokens + " output tokens, more than max_tokens " + maxTokens));
    }
    patterns(failures, "refusal", refusal, t, true, "matches the refusal pattern ");
    patterns(failures, "must_match", mustMatch, t, false, "does not match ");
    patterns(failures, "must_not_match", mustNotMatch, t, true, "matches ");
    return failures;
  }

  private static void patterns(
      List<OutputCheckFailure> failures,
      String rule,
      List<Pattern> patterns,
      String text,
      boolean failWhenFound,
      String says) {
    for (int i = 0; i < patterns.size(); i++) {
      Pattern p = patterns.get(i);
      boolean found;
      try {
        found = p.matcher(text).find();
      } catch (StackOverflowError e) {
        // Java's regex engine recurses on some patterns (an alternation under a star) once per
        // character; on a long answer that overflows the stack. The answer cannot be shown to pass.
        failures.add(
            fail(
                rule + "[" + i + "]",
                "the pattern " + shown(p) + " could not be evaluated on this answer (too deep)"));
        continue;
      }
      if (found == failWhenFound) {
        failures.add(fail(rule + "[" + i + "]", "the answer " + says + shown(p)));
      }
    }
  }

  private static String shown(Pattern p) {
    String source = p.pattern();
    return "/"
        + (source.length() <= PATTERN_SHOWN ? source : source.substring(0, PATTERN_SHOWN) + "…")
        + "/";
  }

  private static OutputCheckFailure fail(String rule, String reason) {
    return new OutputCheckFailure(rule, reason, true);
  }
}
