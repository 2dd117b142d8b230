package dev.ballast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ballast status}: a running node's configuration version, and every node sharing its store
 * with the version each runs ({@code GET /v1/ballast/status} with an administrator's key).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "A running node's configuration version and every node of its store with theirs"
            + " (an administrator's key).")
final class StatusCommand implements Callable<Integer> {
  @Mixin GatewayTarget target;

  @Option(names = "--json", description = "print the node's status as JSON")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JsonNode status = target.send(System.getenv(), "GET", "/v1/ballast/status", null);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(status.toPrettyString());
      return 0;
    }
    if (!status.path("scope").asText().equals("node")) {
      out.println("tenant " + status.path("tenant").asText() + ": use an administrator's key");
      return 0;
    }
    out.println("node " + status.path("node_id").asText());
    out.println(
        "  config: version "
            + status.at("/config/version").asText()
            + ", loaded at "
            + status.at("/config/loaded_at").asText());
    out.println("nodes:");
    for (JsonNode n : status.path("nodes")) {
      out.printf(
          "  %-32s %-8s %s (loaded %s, seen %s)%s%n",
          n.path("node_id").asText(),
          n.path("role").asText(),
          n.path("config_version").asText(),
          n.path("config_loaded_at").asText(),
          n.path("seen_at").asText(),
          n.path("this_node").asBoolean() ? "  <- this node" : "");
    }
    if (!status.path("config_versions_agree").asBoolean(true)) {
      out.println(
          "WARNING: the nodes run different configuration versions: "
              + status.path("config_versions"));
    }
    return 0;
  }
}
