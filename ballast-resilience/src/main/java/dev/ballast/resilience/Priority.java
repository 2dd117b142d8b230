package dev.ballast.resilience;

/** The priority class of a request, decided at admission. */
public enum Priority {
  /** A person is waiting: admitted first and may wait for a slot until its deadline. */
  INTERACTIVE,
  /** Background work: admitted after interactive waiters and shed after a short wait. */
  BATCH
}
