package dev.ballast.console;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the console fixture with some traffic and keeps it running, for looking at the console by
 * hand: {@code java ... dev.ballast.console.ConsoleDemo}. Not a test.
 */
public final class ConsoleDemo {
  private ConsoleDemo() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("ballast-console-demo");
    ConsoleFixture f = new ConsoleFixture(dir, "sqlite:");
    ConsoleSeed seed = ConsoleSeed.plant(f);
    System.out.println("URL " + f.url("/ui/"));
    System.out.println("ADMIN " + ConsoleFixture.ADMIN_KEY);
    System.out.println("SEED " + seed);
    Thread.currentThread().join();
  }
}
