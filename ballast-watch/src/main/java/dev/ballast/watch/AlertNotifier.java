package dev.ballast.watch;

import dev.ballast.core.watch.AlertRecord;

/**
 * Told of each alert transition this node wrote to the store, {@code opened} or {@code resolved}
 * (updates are journaled, not notified): exactly one node is told of each transition, the one whose
 * write the store accepted. Called on Watch's ticker thread; what it throws is logged.
 */
@FunctionalInterface
public interface AlertNotifier {
  AlertNotifier NONE = (alert, transition) -> {};

  void notify(AlertRecord alert, String transition);
}
