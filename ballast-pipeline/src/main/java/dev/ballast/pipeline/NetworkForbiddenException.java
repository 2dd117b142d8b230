package dev.ballast.pipeline;

import dev.ballast.core.BallastException;

/**
 * A replay tried to reach something outside its recording: a provider, a webhook, a store. A
 * deterministic replay makes zero external calls; its providers and HTTP senders answer only from
 * the journal and throw this for anything else, and the replay fails instead of going live.
 */
public final class NetworkForbiddenException extends BallastException {
  private final String target;

  public NetworkForbiddenException(String target, String message) {
    super(message);
    this.target = target;
  }

  /** What the replay tried to reach: a URL, a model group, a call id. */
  public String target() {
    return target;
  }
}
