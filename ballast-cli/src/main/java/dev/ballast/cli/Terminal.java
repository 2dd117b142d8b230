package dev.ballast.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** Whether the process talks to a terminal, and the progress bars drawn only when it does. */
final class Terminal {
  private Terminal() {}

  /**
   * Since JDK 22 {@code System.console()} is non-null even when the streams are redirected, and
   * only {@code Console.isTerminal()} (22+) tells; the build targets 21, so it is looked up.
   */
  static boolean interactive() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /**
   * A progress bar on standard error, or null when {@code wanted} is false or there is no terminal
   * to draw it on (so piped output stays clean).
   */
  static ProgressBar progressBar(boolean wanted, String task, long max, String unit) {
    if (!wanted || !interactive()) {
      return null;
    }
    ProgressBarBuilder builder =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(max)
            .setConsumer(new ConsoleProgressBarConsumer(System.err));
    if (!unit.isEmpty()) {
      builder.setUnit(" " + unit, 1);
    }
    return builder.build();
  }
}
