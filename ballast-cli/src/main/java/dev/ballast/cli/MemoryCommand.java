package dev.ballast.cli;

import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.spi.Store;
import dev.ballast.core.state.MemoryEntry;
import dev.ballast.core.state.MemoryView;
import dev.ballast.core.state.StatePins;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast memory show CONVERSATION}: a conversation's memory at any version, read from the
 * store, and the mutations that made it.
 */
@Command(
    name = "memory",
    mixinStandardHelpOptions = true,
    description = "Show conversation memory at any version, with its mutation history.",
    subcommands = {MemoryCommand.Show.class})
final class MemoryCommand {

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Memory of CONVERSATION at --version (default: the latest) and its history.")
  static final class Show implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();

    @Parameters(index = "0", paramLabel = "CONVERSATION", description = "the conversation id")
    String conversation;

    @Option(
        names = "--tenant",
        paramLabel = "TENANT",
        description =
            "the tenant whose conversation it is (default: the configuration's only tenant)")
    String tenant;

    @Option(names = "--version", paramLabel = "N", description = "the version to show")
    Long version;

    @Option(names = "--json", description = "print the memory and history as JSON")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (version != null && version < 0) {
        throw new ParameterException(
            spec.commandLine(), "--version must be 0 or more, but was " + version);
      }
      PrintWriter out = spec.commandLine().getOut();
      BallastConfig config = node.loadReadOnly(out);
      String problem = tenantProblem(config);
      if (problem != null) {
        spec.commandLine().getErr().println("ballast: " + problem);
        return 2;
      }
      try (Store store = RunsCommand.openExisting(config)) {
        MemoryStore memory = store.memory();
        String key = StatePins.conversationKey(tenant, conversation);
        long latest = memory.currentVersion(key);
        long at = version == null ? latest : version;
        if (at > latest) {
          spec.commandLine()
              .getErr()
              .println(
                  "conversation "
                      + conversation
                      + " of tenant "
                      + tenant
                      + " is at version "
                      + latest
                      + "; it has no version "
                      + at);
          return 1;
        }
        List<MemoryEntry> history = memory.history(key, at);
        MemoryView view = MemoryView.of(key, history);
        if (json) {
          out.println(CliJson.pretty(java.util.Map.of("memory", view, "history", history)));
        } else {
          print(out, view, history, latest);
        }
      }
      return 0;
    }

    /**
     * Why the tenant cannot be used, or null: it must be one of the configuration's, and without
     * --tenant it is the only one. Guessing among several would show an empty memory for a
     * conversation that exists.
     */
    private String tenantProblem(BallastConfig config) {
      java.util.Set<String> known = new java.util.TreeSet<>(config.tenants().keySet());
      String list = String.join(", ", known);
      if (tenant == null && known.size() == 1) {
        tenant = known.iterator().next();
      } else if (tenant == null) {
        return "give --tenant: the configuration has tenants " + list;
      } else if (!known.contains(tenant)) {
        return "unknown tenant \"" + tenant + "\" (tenants: " + list + ")";
      }
      return null;
    }

    private void print(PrintWriter out, MemoryView view, List<MemoryEntry> history, long latest) {
      out.printf(
          "conversation %s (tenant %s) at version %d of %d%n",
          conversation, tenant, view.version(), latest);
      if (view.summary() != null) {
        out.printf("summary (through version %d): %s%n", view.summaryThrough(), view.summary());
      }
      if (!view.facts().isEmpty()) {
        out.println("facts:");
        view.facts().forEach((k, v) -> out.printf("  %s: %s%n", k, v));
      }
      out.println("turns:");
      for (MemoryView.Turn t : view.turns()) {
        out.printf("  v%-4d %-9s %s%n", t.version(), t.role(), t.content());
      }
      out.println("history:");
      for (MemoryEntry e : history) {
        out.printf(
            "  v%-4d %s  %s%s%n",
            e.version(),
            e.at(),
            Json.mapper().valueToTree(e.mutation()).path("op").asText(),
            e.effectKey() == null ? "" : "  (effect " + e.effectKey() + ")");
      }
    }
  }
}
