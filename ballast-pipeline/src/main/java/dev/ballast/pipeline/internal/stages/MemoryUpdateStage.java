package dev.ballast.pipeline.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.pipeline.Effect;
import dev.ballast.core.pipeline.MemoryUpdateSpec;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.pipeline.Template;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.core.state.InvalidMutationException;
import dev.ballast.core.state.MemoryMutation;
import dev.ballast.core.state.MemoryView;
import dev.ballast.core.state.MemoryWrite;
import dev.ballast.core.state.VersionConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code memory_update}: appends turns to the run's pinned conversation and sets facts, as one
 * compare-and-set write whose effect key is the stage's ledger key, so an attempt re-executed after
 * a crash is recognised by the store and not applied twice.
 *
 * <p>The write is rebased onto the conversation's latest version rather than the version the run
 * pinned: appending a turn does not depend on what the run read, and refusing it because another
 * run of the same conversation wrote first would lose the turn. A fact is added when its key is
 * absent at the version written and replaced when present. The compare-and-set still guarantees
 * that no concurrent write is lost; a conflict re-reads and tries again.
 */
final class MemoryUpdateStage implements StageHandler {
  private static final int MAX_REBASES = 8;

  private final MemoryStore memory;
  private final List<MemoryUpdateSpec.Turn> append;
  private final Map<String, String> facts;

  MemoryUpdateStage(MemoryUpdateSpec spec, MemoryStore memory) {
    this.memory = memory;
    this.append = spec.append();
    this.facts = spec.facts();
  }

  @Override
  public JsonNode execute(StageContext context) {
    String conversation = context.pins().conversation();
    if (conversation == null) {
      throw new StageException(
          "no_conversation", "the run pinned no conversation to write memory to", false);
    }
    JsonNode scope = context.templateScope();
    List<MemoryMutation.AppendTurn> turns = turns(scope);
    Effect effect = context.effect("memory");
    for (int rebase = 0; ; rebase++) {
      long version = memory.currentVersion(conversation);
      List<MemoryMutation> mutations = new ArrayList<>(turns);
      mutations.addAll(facts(scope, conversation, version));
      try {
        MemoryWrite write =
            memory.write(conversation, version, mutations, effect.key(), context.clock().instant());
        context.record(recorded(context, write, effect.key(), mutations));
        return output(write);
      } catch (VersionConflictException e) {
        if (rebase == MAX_REBASES) {
          throw new StageException("memory_conflict", e.getMessage(), true, e);
        }
      } catch (InvalidMutationException e) {
        throw new StageException("invalid_mutation", e.getMessage(), false, e);
      }
    }
  }

  private List<MemoryMutation.AppendTurn> turns(JsonNode scope) {
    List<MemoryMutation.AppendTurn> turns = new ArrayList<>();
    for (MemoryUpdateSpec.Turn turn : append) {
      turns.add(
          new MemoryMutation.AppendTurn(
              turn.role().wireName(), Template.renderText(turn.content(), scope)));
    }
    return turns;
  }

  private List<MemoryMutation> facts(JsonNode scope, String conversation, long version) {
    List<MemoryMutation> out = new ArrayList<>();
    if (facts.isEmpty()) {
      return out;
    }
    Map<String, String> current =
        MemoryView.of(conversation, memory.history(conversation, version)).facts();
    facts.forEach(
        (key, template) -> {
          String text = Template.renderText(template, scope);
          out.add(
              current.containsKey(key)
                  ? new MemoryMutation.ReplaceFact(key, text)
                  : new MemoryMutation.AddFact(key, text));
        });
    return out;
  }

  private static JournalEvent.MemoryMutated recorded(
      StageContext context, MemoryWrite write, String effectKey, List<MemoryMutation> mutations) {
    List<String> operations = new ArrayList<>();
    for (MemoryMutation m : mutations) {
      operations.add(Json.mapper().valueToTree(m).path("op").asText());
    }
    byte[] content;
    try {
      content = Json.mapper().writeValueAsBytes(mutations);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return new JournalEvent.MemoryMutated(
        context.stage().name(),
        write.conversation(),
        write.versionBefore(),
        write.versionAfter(),
        effectKey,
        operations,
        Payload.sha256(content),
        write.applied());
  }

  private static ObjectNode output(MemoryWrite write) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("conversation", write.conversation());
    out.put("version_before", write.versionBefore());
    out.put("version_after", write.versionAfter());
    out.put("applied", write.applied());
    return out;
  }
}
