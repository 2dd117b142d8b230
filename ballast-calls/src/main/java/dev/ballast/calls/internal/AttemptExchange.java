package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;

/**
 * One attempt at one deployment, passed along the attempt's steps. It begins (is numbered, timed
 * and journaled) once a breaker permit is held; an attempt that never began was skipped, and no
 * provider was asked. Not thread-safe.
 */
public final class AttemptExchange<R> {
  private final CallExchange<R> call;
  private final Deployment deployment;
  private long startNanos;
  private String breakerState;
  private boolean begun;
  private Double ttftMs;

  AttemptExchange(CallExchange<R> call, Deployment deployment) {
    this.call = call;
    this.deployment = deployment;
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

  /** Notes the first token of a streamed answer; later calls change nothing. */
  void firstToken() {
    if (ttftMs == null) {
      ttftMs = millisSinceStart();
    }
  }

  Double ttftMs() {
    return ttftMs;
  }
}
