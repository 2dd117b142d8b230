package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StagePolicy;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
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
      // Widths follow the content, over every pipeline, so long names and stage types stay in
      // their columns; then every stage, under its pipeline's name.
      Table table = new Table("PIPELINE", "VERSION", "STAGES>", "MAX>", "PRIO>", "DESCRIPTION");
      for (PipelineDefinition p : pipelines) {
        table.row(
            p.name(),
            p.version(),
            p.stages().size(),
            p.maxConcurrent() == 0 ? "-" : String.valueOf(p.maxConcurrent()),
            p.priority(),
            p.description() == null ? "" : p.description());
      }
      table.print(out);
      Table stages = new Table("", "STAGE", "TYPE", "TIMEOUT", "ATTEMPTS>", "DEPENDENCY", "");
      for (PipelineDefinition p : pipelines) {
        for (int i = 0; i < p.stages().size(); i++) {
          StageDefinition s = p.stage(i);
          StagePolicy policy = s.policy();
          stages.row(
              i == 0 ? p.name() : "",
              i + " " + s.name(),
              s.type(),
              Converters.format(policy.timeout()),
              policy.retry().maxAttempts(),
              policy.dependency() == null ? "" : policy.dependency(),
              policy.effectful() ? "effectful" : "");
        }
      }
      out.println();
      stages.print(out);
      out.println(pipelines.size() + " pipeline(s)");
      return 0;
    }
  }
}
