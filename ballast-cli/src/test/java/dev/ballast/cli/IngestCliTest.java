package dev.ballast.cli;

import static dev.ballast.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.cli.CliRunner.Result;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast ingest} with the built-in configuration: files go into the store's {@code docs}
 * collection (embedded by the local model) as generations, a changed file re-embeds only what
 * changed, and client mistakes are named.
 */
class IngestCliTest {
  @TempDir Path dir;
  Path data;
  Path corpus;

  @BeforeEach
  void setUp() throws IOException {
    data = dir.resolve("data");
    corpus = Files.createDirectories(dir.resolve("corpus"));
    Files.writeString(
        corpus.resolve("leases.md"),
        """
        # Leases

        A worker holds a lease on the run it executes and renews it with heartbeats.

        ## Fencing

        Each lease carries a fencing token; a write with an older token is rejected.
        """);
    Files.writeString(
        corpus.resolve("budgets.txt"),
        "The retry budget caps retries at a fraction of the requests a group served.\n");
    Files.createDirectories(corpus.resolve("guides"));
    Files.writeString(
        corpus.resolve("guides/breakers.html"),
        "<html><head><title>Breakers</title></head><body><h1>Breakers</h1>"
            + "<p>A breaker opens when a deployment keeps failing.</p></body></html>");
  }

  private DocumentStoreView store() {
    return new DocumentStoreView(Stores.open("sqlite:", data));
  }

  @Test
  void ingestsADirectoryAsOneGenerationAndReembedsOnlyAChangedFile() throws IOException {
    Result first = run("ingest", corpus.toString(), "--data", data.toString(), "--no-progress");

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("collection docs: generation 1, 3 document(s) ingested")
        .containsPattern("chunks: (\\d+) added, 0 retired, 0 unchanged; \\1 embedded, 0 reused");
    try (DocumentStoreView view = store()) {
      assertThat(view.documents().collection("docs").orElseThrow().generation()).isEqualTo(1);
      assertThat(view.documents().liveContentHashes("docs", "guides/breakers.html")).hasSize(1);
      assertThat(view.documents().liveContentHashes("docs", "leases.md")).isNotEmpty();
    }

    Files.writeString(
        corpus.resolve("budgets.txt"),
        "The retry budget caps retries at ten percent of the requests a group served.\n");
    Result second = run("ingest", corpus.toString(), "--data", data.toString(), "--no-progress");

    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out())
        .contains("collection docs: generation 2, 3 document(s) ingested")
        .containsPattern("chunks: 1 added, 1 retired, \\d+ unchanged; 1 embedded, \\d+ reused");
  }

  @Test
  void anUnknownCollectionIsNamedWithTheConfiguredOnes() {
    Result result =
        run("ingest", corpus.toString(), "--collection", "wiki", "--data", data.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("ballast: unknown collection \"wiki\"; configured collections: docs\n");
  }

  @Test
  void aMissingPathOrAnUnsupportedFileIsNamedAndNothingIsCommitted() throws IOException {
    Path missing = dir.resolve("nope");
    Result result = run("ingest", missing.toString(), "--data", data.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("ballast: no such file or directory: " + missing + "\n");

    Files.writeString(corpus.resolve("logo.png"), "not text");
    result = run("ingest", corpus.toString(), "--data", data.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("unsupported document type").contains("logo.png");
    try (DocumentStoreView view = store()) {
      assertThat(view.documents().collection("docs").map(c -> c.generation()).orElse(0L)).isZero();
    }
  }

  @Test
  void withoutPathsTheUsageIsShown() {
    Result result = run("ingest", "--data", data.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("Missing required parameter: 'PATH'");
  }

  /** The store opened on the test's data directory, seen as its documents. */
  private record DocumentStoreView(Store store) implements AutoCloseable {
    DocumentStore documents() {
      return store.documents();
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
