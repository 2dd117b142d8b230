package dev.ballast.pipeline.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.pipeline.Template;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.StatePins;
import dev.ballast.core.state.UnknownCollectionException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fixes, at submission, the versions of state a run will read (docs/state.md, invariant 8): the
 * memory version of the conversation its stages name and the last generation of every collection
 * its {@code retrieve} stages search. Reading "the latest" later, at each stage, would let two
 * stages of one run, or the same stage on two nodes, see different state.
 */
final class Pinning {
  private final DocumentStore documents;
  private final MemoryStore memory;

  /** Either may be null when the node has no such state; a pipeline that needs it then fails. */
  Pinning(DocumentStore documents, MemoryStore memory) {
    this.documents = documents;
    this.memory = memory;
  }

  /**
   * The pins of a new run of {@code pipeline} with {@code input}.
   *
   * @throws IllegalArgumentException when the input does not name the conversation the pipeline
   *     reads, or this node has no store for the state the pipeline reads
   * @throws UnknownCollectionException when a collection the pipeline searches does not exist
   */
  StatePins pin(PipelineDefinition pipeline, String tenant, JsonNode input, String runId) {
    String conversation = null;
    Map<String, Long> generations = new TreeMap<>();
    for (StageDefinition stage : pipeline.stages()) {
      String template = stage.param("conversation");
      if (template != null && conversation == null) {
        conversation =
            StatePins.conversationKey(
                tenant, conversation(pipeline, stage, template, input, runId));
      }
      if ("retrieve".equals(stage.type())) {
        String name = stage.param("collection");
        generations.put(name, generation(pipeline, name));
      }
    }
    if (conversation == null && generations.isEmpty()) {
      return StatePins.NONE;
    }
    long version = conversation == null ? 0 : memory(pipeline).currentVersion(conversation);
    return new StatePins(conversation, version, generations);
  }

  private static String conversation(
      PipelineDefinition pipeline,
      StageDefinition stage,
      String template,
      JsonNode input,
      String runId) {
    ObjectNode scope = JsonNodeFactory.instance.objectNode();
    scope.set("input", input);
    scope.putObject("run").put("id", runId);
    String conversation;
    try {
      conversation = Template.renderText(template, scope).trim();
    } catch (StageException e) {
      throw new IllegalArgumentException(
          "pipeline "
              + pipeline.name()
              + " stage "
              + stage.name()
              + " reads conversation \""
              + template
              + "\": "
              + e.getMessage(),
          e);
    }
    if (conversation.isEmpty()) {
      throw new IllegalArgumentException(
          "pipeline "
              + pipeline.name()
              + " stage "
              + stage.name()
              + " reads conversation \""
              + template
              + "\", which this input leaves empty");
    }
    return conversation;
  }

  private long generation(PipelineDefinition pipeline, String collection) {
    if (documents == null) {
      throw new IllegalArgumentException(
          "pipeline "
              + pipeline.name()
              + " searches collections, but this node has no document store");
    }
    return documents
        .collection(collection)
        .map(CollectionInfo::generation)
        .orElseThrow(() -> new UnknownCollectionException(collection));
  }

  private MemoryStore memory(PipelineDefinition pipeline) {
    if (memory == null) {
      throw new IllegalArgumentException(
          "pipeline "
              + pipeline.name()
              + " reads conversation memory, but this node has no memory store");
    }
    return memory;
  }
}
