package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ballast config check}: validate a configuration without starting anything. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Validate configuration.",
    subcommands = {ConfigCommand.Check.class})
final class ConfigCommand {

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Validate and summarize; secrets are never printed.")
  static final class Check implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      BallastConfig config = node.load(out);
      out.println("configuration OK, version " + config.version());
      out.println("  store:       " + ConfigLoader.redactUrl(config.storeUrl()));
      out.println("  providers:   " + config.providers().keySet().stream().sorted().toList());
      out.println("  deployments: " + config.deployments().keySet().stream().sorted().toList());
      out.println("  groups:      " + config.groups().keySet().stream().sorted().toList());
      out.println("  tenants:     " + config.tenants().keySet().stream().sorted().toList());
      out.println(
          "  pipelines:   "
              + config.pipelines().values().stream()
                  .map(p -> p.name() + "@" + p.version())
                  .sorted()
                  .toList());
      out.println("  role:        " + config.server().role().wireName());
      return 0;
    }
  }
}
