package dev.ballast.core.journal;

/**
 * One output check that an answer failed, as journaled on its {@code ProviderAttempt} ({@code
 * checkFailures}). The reason names the rule's configured bound or pattern and the answer's measure
 * (characters, tokens), never the answer's text: content reaches the journal only through the
 * tenant's capture policy.
 *
 * @param rule the check as configured, with its index for lists: {@code non_empty}, {@code
 *     max_chars}, {@code min_chars}, {@code max_tokens}, {@code min_tokens}, {@code refusal[1]},
 *     {@code must_match[0]}, {@code must_not_match[0]}
 * @param reason a short sentence, e.g. {@code 5120 characters, more than max_chars 4000}
 * @param enforced true when the failure failed the attempt; false when it was only recorded because
 *     part of a streamed answer had already reached the client
 */
public record OutputCheckFailure(String rule, String reason, boolean enforced) {

  /** The same failure, recorded without failing the attempt. */
  public OutputCheckFailure recordedOnly() {
    return new OutputCheckFailure(rule, reason, false);
  }
}
