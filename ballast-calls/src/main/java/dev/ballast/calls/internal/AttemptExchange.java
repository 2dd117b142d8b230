package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.core.config.ContinuationMode;
import dev.ballast.core.journal.IdentityMismatch;
import dev.ballast.core.journal.OutputCheckFailure;
import java.time.Duration;
import java.util.List;

/**
 * One attempt at one deployment, passed along the attempt's steps. It begins (is numbered, timed
 * and journaled) once a breaker permit is held; an attempt that never began was skipped, and no
 * provider was asked. Not thread-safe.
 */
public final class AttemptExchange<R> {
  private final CallExchange<R> call;
  private final Deployment deployment;
  private final int number;
  private final boolean fallback;
  private Duration adaptedFirstToken;
  private long startNanos;
  private String breakerState;
  private boolean begun;
  private Double ttftMs;
  private StringBuilder deliveredText;
  private List<OutputCheckFailure> checkFailures = List.of();
  private IdentityMismatch identityMismatch;
  private Continued continuation;
  private int overlapChars;

  /**
   * @param number the number the attempt is journaled with if it begins (the begun attempts before
   *     it plus one)
   */
  AttemptExchange(CallExchange<R> call, Deployment deployment, int number, boolean fallback) {
    this.call = call;
    this.deployment = deployment;
    this.number = number;
    this.fallback = fallback;
  }

  /** Whether a later deployment on the route could take the call if this attempt fails. */
  boolean fallback() {
    return fallback;
  }

  /** The learned first-token timeout this attempt was given, if shorter than the configured one. */
  Duration adaptedFirstToken() {
    return adaptedFirstToken;
  }

  void adaptedFirstToken(Duration timeout) {
    this.adaptedFirstToken = timeout;
  }

  /**
   * How this attempt continues a stream earlier attempts began: the form it asks in and how many
   * characters of the answer the client already held.
   */
  record Continued(ContinuationMode form, int deliveredChars) {}

  /** Makes this attempt the continuation of the stream, in {@code form}. */
  void continueFrom(ContinuationMode form, int deliveredChars) {
    this.continuation = new Continued(form, deliveredChars);
  }

  /** How this attempt continues a stream; null for an attempt that answers from the start. */
  Continued continuation() {
    return continuation;
  }

  /** Notes the characters of the continuation dropped because they repeated delivered text. */
  void overlapStripped(int chars) {
    this.overlapChars = chars;
  }

  int overlapChars() {
    return overlapChars;
  }

  /** The attempt's number in its run, from 1. */
  public int number() {
    return number;
  }

  public CallExchange<R> exchange() {
    return call;
  }

  public Deployment deployment() {
    return deployment;
  }

  /** The attempt begins: the provider will be asked. */
  void begin(String breakerState) {
    this.breakerState = breakerState;
    this.startNanos = System.nanoTime();
    this.begun = true;
  }

  boolean begun() {
    return begun;
  }

  long startNanos() {
    return startNanos;
  }

  /** The deployment's breaker state seen when the attempt began. */
  String breakerState() {
    return breakerState;
  }

  double millisSinceStart() {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  /**
   * Notes text of this attempt that reached the client. Providers bill what they generated, so when
   * the attempt fails after this, its journal entry still carries the tokens (estimated from this
   * text) and their cost.
   */
  void delivered(String text) {
    if (text != null && !text.isEmpty()) {
      if (deliveredText == null) {
        deliveredText = new StringBuilder();
      }
      deliveredText.append(text);
    }
  }

  /** The text of this attempt that reached the client; empty when none did. */
  String deliveredText() {
    return deliveredText == null ? "" : deliveredText.toString();
  }

  /** Notes the first token of a streamed answer; later calls change nothing. */
  void firstToken() {
    if (ttftMs == null) {
      ttftMs = millisSinceStart();
    }
  }

  Double ttftMs() {
    return ttftMs;
  }

  /** Notes the output checks the answer failed, for the attempt's journal event. */
  void checked(List<OutputCheckFailure> failures) {
    this.checkFailures = List.copyOf(failures);
  }

  List<OutputCheckFailure> checkFailures() {
    return checkFailures;
  }

  /** Notes that the answer is not from the model the deployment is pinned to. */
  void mismatched(IdentityMismatch mismatch) {
    this.identityMismatch = mismatch;
  }

  /** The answer's identity mismatch, or null. */
  IdentityMismatch identityMismatch() {
    return identityMismatch;
  }
}
