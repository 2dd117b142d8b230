package dev.ballast.watch.internal;

/** A detector's change of mind: a series changed (open an alert), or it is back (resolve it). */
record Verdict(Transition transition, Evidence evidence) {
  enum Transition {
    OPEN,
    RESOLVE
  }

  static Verdict open(Evidence e) {
    return new Verdict(Transition.OPEN, e);
  }

  static Verdict resolve(Evidence e) {
    return new Verdict(Transition.RESOLVE, e);
  }
}
