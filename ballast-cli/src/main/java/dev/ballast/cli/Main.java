package dev.ballast.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ballast} command. */
@Command(
    name = "ballast",
    mixinStandardHelpOptions = true,
    version = "ballast 0.1.0",
    description =
        "Ballast: a resilient, journaled gateway and durable pipelines for production AI.",
    subcommands = {
      ServeCommand.class,
      SimulateCommand.class,
      RunsCommand.class,
      ReplayCommand.class,
      PipelinesCommand.class,
      MemoryCommand.class,
      IngestCommand.class,
      DiffCommand.class,
      AlertsCommand.class,
      SpendCommand.class,
      WatchCommand.class,
      KeysCommand.class,
      ConfigCommand.class,
      StatusCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    // Helidon logs through java.util.logging; route it to the one logging setup (logback.xml).
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, with errors printed as one clear line instead of a trace. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    // "--input @file.json" names a JSON document; picocli would otherwise read it as more
    // arguments.
    cli.setExpandAtFiles(false);
    // A usage error is one line and a hint, not the error buried under the whole usage text.
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine bad = e.getCommandLine();
          PrintWriter err = bad.getErr();
          err.println("ballast: " + e.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
          err.println("Try '" + bad.getCommandSpec().qualifiedName() + " --help' for its usage.");
          return bad.getCommandSpec().exitCodeOnInvalidInput();
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("ballast: " + e.getMessage());
          // Nothing recorded is like an unknown id: what was asked for is not there.
          return e instanceof dev.ballast.store.NoStoreException ? 2 : 1;
        });
    return cli;
  }
}
