package dev.ballast.pipeline.internal.stages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.model.Message;
import dev.ballast.core.pipeline.AssembleContextSpec;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.pipeline.Template;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.core.state.MemoryView;
import dev.ballast.pipeline.spi.ContextPacker;
import dev.ballast.pipeline.spi.Retriever;
import java.util.List;

/**
 * {@code assemble_context}: packs the prompt (system prompt, the conversation's memory at the
 * pinned version, the chunks of a {@code retrieve} stage by score, the question) into the model
 * group's budget, and journals what went in and what was cut in a {@code ContextAssembled} event;
 * nothing is cut silently. When even the system prompt and the question do not fit, the stage
 * routes to the group's larger-context group, or fails without retrying, because a retry would not
 * make the prompt smaller.
 */
final class AssembleContextStage implements StageHandler {
  private final ContextPacker packer;
  private final MemoryViews memory;
  private final String group;
  private final String system;
  private final String question;
  private final String chunks;
  private final boolean readsMemory;
  private final int window;
  private final int reserve;
  private final String largerGroup;
  private final int largerWindow;
  private final String promptVersion;

  AssembleContextStage(AssembleContextSpec spec, ContextPacker packer, MemoryViews memory) {
    this.packer = packer;
    this.memory = memory;
    this.group = spec.group();
    this.system = spec.prompt().system();
    this.question = spec.prompt().user();
    this.chunks = spec.chunks();
    this.readsMemory = spec.readsMemory();
    this.window = spec.contextWindow();
    this.reserve = spec.reserveOutput();
    this.largerGroup = spec.largerContext();
    this.largerWindow = spec.largerContextWindow();
    this.promptVersion = spec.prompt().version();
  }

  @Override
  public JsonNode execute(StageContext context) {
    JsonNode scope = context.templateScope();
    String systemText = system == null ? null : Template.renderText(system, scope);
    String questionText = Template.renderText(question, scope);
    MemoryView view = readsMemory ? read(context) : null;
    List<Retriever.Hit> hits =
        chunks == null ? List.of() : RetrieveStage.hits(context.outputs().get(chunks));
    String routedTo = null;
    String target = group;
    int budget = window - reserve;
    ContextPacker.Packed packed;
    try {
      packed =
          packer.pack(
              new ContextPacker.Request(group, budget, systemText, view, hits, questionText));
    } catch (ContextPacker.TooLarge e) {
      if (largerGroup == null || largerWindow - reserve <= budget) {
        throw new StageException(
            "context_too_large",
            e.getMessage() + ", and group " + group + " has no larger-context group",
            false,
            e);
      }
      routedTo = largerGroup;
      target = largerGroup;
      budget = largerWindow - reserve;
      try {
        packed =
            packer.pack(
                new ContextPacker.Request(target, budget, systemText, view, hits, questionText));
      } catch (ContextPacker.TooLarge again) {
        throw new StageException(
            "context_too_large",
            again.getMessage() + ", even in the larger-context group " + target,
            false,
            again);
      }
    }
    context.record(
        new JournalEvent.ContextAssembled(
            context.stage().name(),
            target,
            packed.tokenizer(),
            packed.approximate(),
            budget,
            packed.used(),
            packed.included(),
            packed.cut(),
            routedTo));
    return output(target, budget, packed);
  }

  private MemoryView read(StageContext context) {
    String conversation = context.pins().conversation();
    long version = context.pins().memoryVersion();
    MemoryView view = memory.at(conversation, version);
    try {
      String hash = Payload.sha256(Json.mapper().writeValueAsBytes(view));
      context.record(
          new JournalEvent.MemoryRead(context.stage().name(), conversation, version, hash));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return view;
  }

  private ObjectNode output(String target, int budget, ContextPacker.Packed packed) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("group", target);
    ArrayNode messages = out.putArray("messages");
    for (Message m : packed.messages()) {
      ObjectNode message = messages.addObject();
      message.put("role", m.role().name().toLowerCase(java.util.Locale.ROOT));
      message.put("content", m.text());
    }
    out.put("tokens", packed.used());
    out.put("budget", budget);
    out.put("cut", packed.cut().size());
    out.put("prompt_version", promptVersion);
    return out;
  }
}
