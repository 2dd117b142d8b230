package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.OutputCheckFailure;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each rule of {@link OutputChecks}, alone: what fails, what passes, what the reason says. */
class OutputChecksTest {

  private static OutputChecks checks(
      boolean nonEmpty,
      int minChars,
      int maxChars,
      int minTokens,
      int maxTokens,
      List<String> refusal,
      List<String> must,
      List<String> mustNot) {
    return new OutputChecks(
        nonEmpty,
        minChars,
        maxChars,
        minTokens,
        maxTokens,
        refusal.stream().map(Pattern::compile).toList(),
        must.stream().map(Pattern::compile).toList(),
        mustNot.stream().map(Pattern::compile).toList(),
        OutputChecks.StreamPolicy.RECORD);
  }

  private static List<String> rules(List<OutputCheckFailure> failures) {
    return failures.stream().map(OutputCheckFailure::rule).toList();
  }

  @Test
  void nothingConfiguredPassesEverything() {
    assertThat(OutputChecks.NONE.failures("", 0, false)).isEmpty();
  }

  @Test
  void anEmptyOrBlankAnswerFailsNonEmpty() {
    OutputChecks c = checks(true, 0, 0, 0, 0, List.of(), List.of(), List.of());
    assertThat(rules(c.failures("", 0, false))).containsExactly("non_empty");
    assertThat(rules(c.failures(" \n\t", 1, false))).containsExactly("non_empty");
    assertThat(c.failures("ok", 1, false)).isEmpty();
  }

  @Test
  void lengthsAreCountedInCodePointsAndTokens() {
    OutputChecks c = checks(false, 3, 5, 2, 4, List.of(), List.of(), List.of());
    assertThat(c.failures("😀😀😀", 2, false)).isEmpty();
    List<OutputCheckFailure> shortOne = c.failures("ab", 1, false);
    assertThat(rules(shortOne)).containsExactly("min_chars", "min_tokens");
    assertThat(shortOne.getFirst().reason()).isEqualTo("2 characters, fewer than min_chars 3");
    List<OutputCheckFailure> longOne = c.failures("abcdef", 9, false);
    assertThat(rules(longOne)).containsExactly("max_chars", "max_tokens");
    assertThat(longOne.get(1).reason()).isEqualTo("9 output tokens, more than max_tokens 4");
  }

  @Test
  void patternsNameTheRuleByIndexAndNeverQuoteTheAnswer() {
    OutputChecks c =
        checks(
            false,
            0,
            0,
            0,
            0,
            List.of("(?i)as an ai", "(?i)i can't help"),
            List.of("Paris"),
            List.of("secret-\\d+"));
    String answer = "Sorry, I can't help with secret-42.";
    List<OutputCheckFailure> failures = c.failures(answer, 8, false);
    assertThat(rules(failures)).containsExactly("refusal[1]", "must_match[0]", "must_not_match[0]");
    assertThat(failures).allSatisfy(f -> assertThat(f.enforced()).isTrue());
    assertThat(failures.getFirst().reason())
        .isEqualTo("the answer matches the refusal pattern /(?i)i can't help/");
    assertThat(failures).allSatisfy(f -> assertThat(f.reason()).doesNotContain("secret-42"));
    assertThat(c.failures("The capital is Paris.", 5, false)).isEmpty();
  }

  @Test
  void aPatternTooDeepForTheRegexEngineFailsItsRuleInsteadOfTheCall() {
    OutputChecks c = checks(false, 0, 0, 0, 0, List.of(), List.of("^(a|b)*$"), List.of());
    List<OutputCheckFailure> failures = c.failures("a".repeat(200_000), 1, false);
    assertThat(rules(failures)).containsExactly("must_match[0]");
    assertThat(failures.getFirst().reason()).contains("could not be evaluated");
  }

  @Test
  void anAnswerOfToolCallsPassesTheTextRules() {
    OutputChecks c = checks(true, 10, 0, 5, 0, List.of(), List.of("x"), List.of());
    assertThat(c.failures("", 3, true)).isEmpty();
  }

  @Test
  void aFailureCanBeRecordedWithoutBeingEnforced() {
    OutputCheckFailure f = new OutputCheckFailure("non_empty", "the answer has no text", true);
    assertThat(f.recordedOnly().enforced()).isFalse();
    assertThat(f.recordedOnly().rule()).isEqualTo("non_empty");
  }
}
