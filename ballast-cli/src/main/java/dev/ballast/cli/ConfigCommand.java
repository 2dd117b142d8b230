package dev.ballast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ballast config check}: validate a configuration without starting anything; {@code ballast
 * config reload}: have a running node read its file again.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Validate configuration, or reload a running node's.",
    subcommands = {ConfigCommand.Check.class, ConfigCommand.Reload.class})
final class ConfigCommand {

  @Command(
      name = "reload",
      mixinStandardHelpOptions = true,
      description =
          "Have a running node read its configuration file again and take over what can change"
              + " live (POST /v1/ballast/config/reload, an administrator's key); an invalid file"
              + " or one with changes only a restart applies changes nothing.")
  static final class Reload implements Callable<Integer> {
    @Mixin GatewayTarget target;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode answer = target.send(System.getenv(), "POST", "/v1/ballast/config/reload", null);
      PrintWriter out = spec.commandLine().getOut();
      if (answer.path("outcome").asText().equals("unchanged")) {
        out.println("configuration unchanged, version " + answer.path("version").asText());
      } else {
        out.println(
            "configuration reloaded: version "
                + answer.path("previous_version").asText()
                + " -> "
                + answer.path("version").asText()
                + " (loaded at "
                + answer.path("loaded_at").asText()
                + ")");
      }
      return 0;
    }
  }

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
