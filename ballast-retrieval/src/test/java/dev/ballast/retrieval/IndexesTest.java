package dev.ballast.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.state.EmbeddingModelMismatchException;
import dev.ballast.core.state.UnknownCollectionException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IndexesTest {
  private final InMemoryDocumentStore store = new InMemoryDocumentStore();
  private final WordEmbedder embedder = new WordEmbedder();
  private Indexes indexes;

  @BeforeEach
  void ingest() {
    new Ingestor(store, embedder, new Chunker(ChunkerConfig.DEFAULTS))
        .ingest(
            "docs",
            List.of(
                new SourceDocument("a", null, DocumentFormat.PLAIN, "Boilers need yearly service."),
                new SourceDocument("b", null, DocumentFormat.PLAIN, "Invoices are sent monthly.")),
            List.of(),
            IngestListener.NONE);
    indexes = new Indexes(store, List.of(embedder));
  }

  @AfterEach
  void close() throws Exception {
    indexes.close();
  }

  @Test
  void aSearchWithoutAVectorEmbedsTheTextWithTheCollectionsModel() {
    SearchResult result =
        indexes.search("docs", 1, "when are invoices sent", null, null, 1, SearchMode.VECTOR);
    assertThat(result.hits().getFirst().documentId()).isEqualTo("b");
    assertThat(indexes.index("docs")).isSameAs(indexes.index("docs"));
  }

  @Test
  void aVectorOfAnotherModelIsRefusedNamingBoth() {
    assertThatThrownBy(
            () ->
                indexes.search(
                    "docs",
                    1,
                    null,
                    new float[384],
                    "local/all-minilm-l6-v2",
                    1,
                    SearchMode.VECTOR))
        .isInstanceOf(EmbeddingModelMismatchException.class)
        .hasMessageContaining("test/words")
        .hasMessageContaining("local/all-minilm-l6-v2");
  }

  @Test
  void aQueryVectorOfTheWrongDimensionIsRefused() {
    assertThatThrownBy(
            () -> indexes.search("docs", 1, null, new float[3], null, 1, SearchMode.VECTOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 dimensions")
        .hasMessageContaining("64");
  }

  @Test
  void anUnknownCollectionOrModeIsRefusedByName() {
    assertThatThrownBy(() -> indexes.search("nope", 1, "x", null, null, 1, SearchMode.KEYWORD))
        .isInstanceOf(UnknownCollectionException.class);
    assertThatThrownBy(() -> SearchMode.parse("fuzzy"))
        .hasMessage("search mode must be one of vector, keyword, hybrid, but was \"fuzzy\"");
  }
}
