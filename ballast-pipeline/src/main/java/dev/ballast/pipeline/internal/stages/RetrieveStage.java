package dev.ballast.pipeline.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.pipeline.RetrieveSpec;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.pipeline.Template;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.core.state.CollectionAccessDeniedException;
import dev.ballast.core.state.EmbeddingModelMismatchException;
import dev.ballast.core.state.UnknownCollectionException;
import dev.ballast.pipeline.spi.Retriever;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code retrieve}: searches a collection as of the generation the run pinned at submission, on
 * whichever node executes it, and journals which chunks it saw (ids and content hashes) in a {@code
 * Retrieval} event. The output lists the chunks, best first, for the stages after it.
 */
final class RetrieveStage implements StageHandler {
  private final Retriever retriever;
  private final String collection;
  private final String query;
  private final int k;
  private final String mode;
  private final String vectorFrom;

  RetrieveStage(RetrieveSpec spec, Retriever retriever) {
    this.retriever = retriever;
    this.collection = spec.collection();
    this.query = spec.query();
    this.k = spec.k();
    this.mode = spec.mode().wireName();
    this.vectorFrom = spec.vectorFrom();
  }

  @Override
  public JsonNode execute(StageContext context) {
    Long generation = context.pins().generation(collection);
    if (generation == null) {
      // Only a run submitted before this stage existed in its pipeline could get here.
      throw new StageException(
          "not_pinned", "the run did not pin a generation of collection " + collection, false);
    }
    String text = Template.renderText(query, context.templateScope());
    float[] vector = null;
    String vectorModel = null;
    if (vectorFrom != null) {
      JsonNode embedded = context.outputs().get(vectorFrom);
      vector = vector(embedded.path("vector"));
      vectorModel = embedded.path("model").asText(null);
    }
    long started = System.nanoTime();
    Retriever.Result result;
    try {
      result =
          retriever.search(
              new Retriever.Query(
                  collection, generation, text, vector, vectorModel, k, mode, context.tenant()));
    } catch (UnknownCollectionException
        | EmbeddingModelMismatchException
        | CollectionAccessDeniedException e) {
      throw new StageException("retrieval_refused", e.getMessage(), false, e);
    }
    double ms = (System.nanoTime() - started) / 1e6;
    context.record(event(context, generation, result, ms));
    return output(generation, result);
  }

  private JournalEvent.Retrieval event(
      StageContext context, long generation, Retriever.Result result, double ms) {
    List<JournalEvent.RetrievedChunk> chunks = new ArrayList<>();
    for (Retriever.Hit hit : result.hits()) {
      chunks.add(
          new JournalEvent.RetrievedChunk(
              hit.chunkId(), hit.documentId(), hit.contentHash(), hit.score()));
    }
    return new JournalEvent.Retrieval(
        context.stage().name(),
        collection,
        mode,
        null,
        generation,
        result.indexGeneration(),
        k,
        chunks,
        ms);
  }

  private ObjectNode output(long generation, Retriever.Result result) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("collection", collection);
    out.put("generation", generation);
    ArrayNode chunks = out.putArray("chunks");
    for (Retriever.Hit hit : result.hits()) {
      ObjectNode c = chunks.addObject();
      c.put("id", hit.chunkId());
      c.put("document", hit.documentId());
      c.put("hash", hit.contentHash());
      c.put("score", hit.score());
      c.put("title", hit.title());
      ArrayNode headings = c.putArray("headings");
      hit.headings().forEach(headings::add);
      c.put("text", hit.text());
    }
    return out;
  }

  /** The hits a later stage reads back from this stage's output. */
  static List<Retriever.Hit> hits(JsonNode output) {
    List<Retriever.Hit> hits = new ArrayList<>();
    for (JsonNode c : output.path("chunks")) {
      List<String> headings = new ArrayList<>();
      c.path("headings").forEach(h -> headings.add(h.asText()));
      hits.add(
          new Retriever.Hit(
              c.path("id").asText(),
              c.path("document").asText(),
              c.path("hash").asText(),
              c.path("score").asDouble(),
              c.path("text").asText(),
              c.path("title").asText(null),
              headings));
    }
    return hits;
  }

  private static float[] vector(JsonNode values) {
    float[] vector = new float[values.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) values.get(i).asDouble();
    }
    return vector;
  }
}
