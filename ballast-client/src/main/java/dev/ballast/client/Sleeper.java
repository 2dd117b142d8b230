package dev.ballast.client;

import java.time.Duration;

/** How {@link BallastClient#awaitRun} waits between polls; tests replace it to skip time. */
@FunctionalInterface
interface Sleeper {
  Sleeper THREAD = Thread::sleep;

  void sleep(Duration duration) throws InterruptedException;
}
