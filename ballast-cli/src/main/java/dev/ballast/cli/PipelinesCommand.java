package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StagePolicy;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ballast pipelines}: the configured pipelines, and submitting runs to a gateway. */
@Command(
    name = "pipelines",
    mixinStandardHelpOptions = true,
    description = "List configured pipelines; submit runs to a running gateway.",
    subcommands = {PipelinesCommand.ListPipelines.class, SubmitCommand.class})
final class PipelinesCommand {

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the pipelines of the configuration: versions and stages with policies.")
  static final class ListPipelines implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      BallastConfig config = node.loadReadOnly(out);
      List<PipelineDefinition> pipelines =
          config.pipelines().values().stream()
              .sorted(Comparator.comparing(PipelineDefinition::name))
              .toList();
      if (pipelines.isEmpty()) {
        out.println(
            "no pipelines configured (define them under pipelines: in ballast.yaml and pass"
                + " --config; see docs/pipelines.md)");
        return 0;
      }
      out.printf(
          "%-20s  %-12s  %6s  %4s  %4s  %s%n",
          "PIPELINE", "VERSION", "STAGES", "MAX", "PRIO", "DESCRIPTION");
      for (PipelineDefinition p : pipelines) {
        out.printf(
            Locale.ROOT,
            "%-20s  %-12s  %6d  %4s  %4d  %s%n",
            p.name(),
            p.version(),
            p.stages().size(),
            p.maxConcurrent() == 0 ? "-" : String.valueOf(p.maxConcurrent()),
            p.priority(),
            p.description() == null ? "" : p.description());
        for (int i = 0; i < p.stages().size(); i++) {
          out.println("  " + stage(i, p.stage(i)));
        }
      }
      out.println(pipelines.size() + " pipeline(s)");
      return 0;
    }

    private static String stage(int index, StageDefinition s) {
      StagePolicy policy = s.policy();
      return String.format(
          Locale.ROOT,
          "%2d %-20s %-12s timeout %-6s attempts %d%s%s",
          index,
          s.name(),
          s.type(),
          Converters.format(policy.timeout()),
          policy.retry().maxAttempts(),
          policy.dependency() == null ? "" : "  dependency " + policy.dependency(),
          policy.effectful() ? "  effectful" : "");
    }
  }
}
