package dev.ballast.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded all-MiniLM-L6-v2 model, offline, through the real ingestor and index. */
class LocalEmbedderTest {
  static final Map<String, String> TOPICS =
      Map.of(
          "volcano.txt",
              "Volcanoes erupt when molten rock called magma rises through the crust and escapes as"
                  + " lava, ash and gas.",
          "bread.txt",
              "To bake sourdough bread, mix flour, water and a starter, let the dough ferment"
                  + " overnight, then bake it in a hot oven.",
          "chess.txt",
              "In chess, castling moves the king two squares towards a rook, which then jumps to"
                  + " the other side of the king.",
          "photosynthesis.txt",
              "Plants use sunlight, water and carbon dioxide to make sugar and release oxygen; this"
                  + " is called photosynthesis.",
          "tax.txt",
              "Income tax returns must be filed by the deadline each year, or the tax office"
                  + " charges a late penalty.",
          "python.txt",
              "A Python list comprehension builds a new list by applying an expression to each"
                  + " element of an iterable.",
          "marathon.txt",
              "Marathon runners train for months, building up weekly mileage with long slow runs"
                  + " before the 42 kilometre race.",
          "coffee.txt",
              "Espresso is brewed by forcing hot water at high pressure through finely ground"
                  + " coffee beans.",
          "moon.txt",
              "The Moon orbits the Earth about once every 27 days, and its gravity causes the"
                  + " ocean tides.",
          "vaccine.txt",
              "Vaccines train the immune system to recognise a virus so the body can fight off a"
                  + " later infection.");

  static LocalEmbedder embedder;
  static CollectionIndex index;

  @BeforeAll
  static void ingest() {
    embedder = new LocalEmbedder();
    InMemoryDocumentStore store = new InMemoryDocumentStore();
    List<SourceDocument> docs = new ArrayList<>();
    TOPICS.forEach((id, text) -> docs.add(new SourceDocument(id, id, DocumentFormat.PLAIN, text)));
    new Ingestor(store, embedder, new Chunker(ChunkerConfig.DEFAULTS))
        .ingest("topics", docs, List.of(), IngestListener.NONE);
    index = new CollectionIndex(store, "topics");
  }

  @AfterAll
  static void close() throws Exception {
    index.close();
  }

  @Test
  void vectorsHaveTheModelsDimensionAndUnitLength() {
    assertThat(embedder.model()).isEqualTo("local/all-minilm-l6-v2");
    List<float[]> vectors = embedder.embed(List.of("hello world", "a", "another text"));
    assertThat(vectors).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(384));
    double sum = 0;
    for (float x : vectors.getFirst()) {
      sum += x * x;
    }
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void aBlankTextIsRefusedWithItsPosition() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> embedder.embed(List.of("ok", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text 1 is blank");
  }

  @Test
  void aQuestionRetrievesTheParagraphThatAnswersIt() {
    assertThat(top("How do I make bread at home?")).isEqualTo("bread.txt");
    assertThat(top("What causes the tides in the sea?")).isEqualTo("moon.txt");
    assertThat(top("When is the deadline for my yearly tax filing?")).isEqualTo("tax.txt");
    assertThat(top("How does an immune response protect against viruses?"))
        .isEqualTo("vaccine.txt");
    assertThat(top("What comes out of a volcano when it erupts?")).isEqualTo("volcano.txt");
    assertThat(top("How do I prepare for running a long race?")).isEqualTo("marathon.txt");
  }

  @Test
  void concurrentCallersGetTheSameVectorsAsOneCaller() throws Exception {
    List<String> texts = new ArrayList<>(TOPICS.values());
    List<float[]> expected = embedder.embed(texts);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<float[]>>> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(pool.submit(() -> embedder.embed(texts)));
      }
      for (Future<List<float[]>> a : answers) {
        List<float[]> got = a.get();
        for (int i = 0; i < texts.size(); i++) {
          assertThat(got.get(i))
              .containsExactly(expected.get(i), org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void batchedVectorsAreTheReferenceModelsVectorsOneTextAtATime() {
    List<String> texts = new ArrayList<>(TOPICS.values());
    texts.add("short");
    // Longer than the model's 512 positions: embedded in windows, as langchain4j does.
    texts.add("the tide rises and falls with the moon ".repeat(90));
    List<float[]> batched = embedder.embed(texts);
    AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
    for (int i = 0; i < texts.size(); i++) {
      float[] one = Vectors.normalised(reference.embed(texts.get(i)).content().vector());
      double cosine = 0;
      for (int d = 0; d < one.length; d++) {
        cosine += one[d] * batched.get(i)[d];
      }
      assertThat(cosine).as("text %d", i).isGreaterThan(0.9999);
    }
  }

  private static String top(String question) {
    float[] q = embedder.embed(List.of(question)).getFirst();
    return index.search(1, null, q, 1, SearchMode.VECTOR).hits().getFirst().documentId();
  }
}
