package dev.ballast.cli;

import dev.ballast.core.config.ConfigLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast keys}: make virtual keys and the hashes that go into {@code tenants.*.keys}
 * ({@code new}, {@code hash}, offline), and manage a running gateway's managed keys ({@code
 * create}, {@code list}, {@code revoke}, with an administrator's key).
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create virtual keys and their hashes; manage a gateway's managed keys.",
    subcommands = {
      KeysCommand.NewKey.class,
      KeysCommand.HashKey.class,
      ManagedKeyCommands.Create.class,
      ManagedKeyCommands.ListKeys.class,
      ManagedKeyCommands.Revoke.class
    })
final class KeysCommand {

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description = "Print a new random key and its hash.")
  static final class NewKey implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      String key = DevKey.generate();
      spec.commandLine().getOut().println("key:  " + key + "\nhash: " + ConfigLoader.hashKey(key));
      return 0;
    }
  }

  @Command(
      name = "hash",
      mixinStandardHelpOptions = true,
      description = "Print the hash of a key, for tenants.NAME.keys.")
  static final class HashKey implements Callable<Integer> {
    @Parameters(paramLabel = "KEY")
    String key;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(ConfigLoader.hashKey(key));
      return 0;
    }
  }
}
