package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.gateway.Ingestion;
import dev.ballast.retrieval.IngestReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast ingest PATH... --collection NAME}: reads Markdown, text and HTML files into the
 * store as the collection's next generation. Runs without a gateway; every node's index tails the
 * store, so running gateways see the generation as soon as it commits.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Ingest files and directories (.md, .txt, .html) into a collection as a new generation.")
final class IngestCommand implements Callable<Integer> {
  @Mixin NodeOptions node = new NodeOptions();

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "files, or directories walked recursively")
  List<Path> paths;

  @Option(
      names = "--collection",
      paramLabel = "NAME",
      defaultValue = "docs",
      description = "the configured collection to ingest into (default: docs)")
  String collection;

  @Option(names = "--no-progress", description = "do not draw a progress bar")
  boolean noProgress;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BallastConfig config = node.load(out);
    if (config.collection(collection).isEmpty()) {
      err.println(
          "ballast: unknown collection \""
              + collection
              + "\"; configured collections: "
              + (config.collections().isEmpty()
                  ? "none (define them under collections: in ballast.yaml)"
                  : String.join(", ", config.collections().keySet())));
      return 1;
    }
    IngestReport report;
    try (Store store = RunsCommand.open(config);
        Ingestion ingestion = Ingestion.open(config, store);
        ProgressBarHolder bar = new ProgressBarHolder(!noProgress)) {
      report =
          ingestion.ingest(
              collection,
              paths,
              p -> bar.show(p.documentsDone(), p.documentsTotal(), p.chunksEmbedded()));
    }
    var r = report.result();
    out.printf(
        "collection %s: generation %d, %d document(s) ingested%n",
        r.collection(), r.generation(), r.documents());
    out.printf(
        "chunks: %d added, %d retired, %d unchanged; %d embedded, %d reused%n",
        r.added(), r.retired(), r.unchanged(), report.embedded(), report.reused());
    return 0;
  }

  /** The bar is created on the first progress report, when the number of documents is known. */
  private static final class ProgressBarHolder implements AutoCloseable {
    private final boolean wanted;
    private boolean decided;
    private ProgressBar bar;

    ProgressBarHolder(boolean wanted) {
      this.wanted = wanted;
    }

    void show(int done, int total, int embedded) {
      if (!decided) {
        decided = true;
        bar = Terminal.progressBar(wanted, "ingest", total, "docs");
      }
      if (bar == null) {
        return;
      }
      bar.stepTo(done);
      bar.setExtraMessage(embedded + " chunks embedded");
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
