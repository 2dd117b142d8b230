package dev.ballast.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.journal.JournalEvent.ContextItem;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.normalize.TokenCounter;
import dev.ballast.core.state.MemoryView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextAssemblerTest {
  private final ContextAssembler assembler = new ContextAssembler();

  @Test
  void thePackedPromptFitsTheBudgetExactlyAsTheGatewayCountsItAndEveryDropWouldOverflow() {
    for (int budget : new int[] {120, 200, 333, 500, 900}) {
      AssembledContext ctx = assembler.assemble(request("gpt-4o", budget));
      assertThat(ctx.used()).isLessThanOrEqualTo(budget);
      assertThat(ctx.used())
          .isEqualTo(TokenCounter.countInput(ChatRequest.of("gpt-4o", ctx.messages())));
      assertThat(ctx.used())
          .isEqualTo(
              ContextAssembler.REPLY_PRIMING
                  + ctx.included().stream().mapToInt(ContextItem::tokens).sum());
      List<ContextItem> droppedChunks =
          ctx.cut().stream().filter(c -> c.kind().equals("chunk")).toList();
      for (ContextItem dropped : droppedChunks) {
        assertThat(ctx.used() + dropped.originalTokens()).isGreaterThan(budget);
        assertThat(dropped.reason()).isEqualTo("dropped_budget");
        assertThat(dropped.tokens()).isZero();
      }
    }
  }

  @Test
  void everyItemIsEitherIncludedOrListedAsCut() {
    AssembledContext ctx = assembler.assemble(request("gpt-4o", 250));
    List<String> refs = new ArrayList<>();
    ctx.included().forEach(i -> refs.add(i.kind() + ":" + i.ref()));
    ctx.cut().forEach(i -> refs.add(i.kind() + ":" + i.ref()));
    assertThat(refs)
        .containsExactlyInAnyOrder(
            "system:null",
            "question:null",
            "memory:summary@2",
            "memory:fact:plan",
            "memory:fact:region",
            "memory:turn@3",
            "memory:turn@4",
            "memory:turn@5",
            "memory:turn@6",
            "memory:turn@7",
            "memory:turn@8",
            "chunk:c0",
            "chunk:c1",
            "chunk:c2",
            "chunk:c3",
            "chunk:c4",
            "chunk:c5");
    assertThat(ctx.cut()).isNotEmpty();
  }

  @Test
  void theSystemPromptComesFirstTheQuestionLastAndTheMostRecentTurnsAreKept() {
    AssembledContext ctx = assembler.assemble(request("gpt-4o", 110));
    assertThat(ctx.messages().getFirst()).isEqualTo(Message.text(Role.SYSTEM, "You are terse."));
    assertThat(ctx.messages().getLast()).isEqualTo(Message.text(Role.USER, "What is my plan?"));
    List<String> keptTurns =
        ctx.included().stream()
            .map(ContextItem::ref)
            .filter(r -> r != null && r.startsWith("turn@"))
            .toList();
    List<String> cutTurns =
        ctx.cut().stream()
            .map(ContextItem::ref)
            .filter(r -> r != null && r.startsWith("turn@"))
            .toList();
    assertThat(cutTurns).isNotEmpty();
    assertThat(keptTurns).isNotEmpty();
    int oldestKept = Integer.parseInt(keptTurns.getFirst().substring(5));
    assertThat(cutTurns)
        .allSatisfy(r -> assertThat(Integer.parseInt(r.substring(5))).isLessThan(oldestKept));
    assertThat(keptTurns.getLast()).isEqualTo("turn@8");
  }

  @Test
  void chunksArePackedByScoreAndASmallerOneAfterADroppedOneStillFits() {
    List<SearchHit> hits = List.of(hit("big", "word ".repeat(200)), hit("small", "Tiny fact."));
    AssembledContext ctx =
        assembler.assemble(new ContextRequest("gpt-4o", 80, "S", null, hits, "Q?"));
    assertThat(ctx.cut()).extracting(ContextItem::ref).containsExactly("big");
    assertThat(ctx.included()).extracting(ContextItem::ref).contains("small");
  }

  @Test
  void aSystemPromptAndQuestionThatDoNotFitAreRefusedWithTheCounts() {
    assertThatThrownBy(
            () ->
                assembler.assemble(
                    new ContextRequest(
                        "gpt-4o",
                        20,
                        "You are a helpful assistant. ".repeat(5),
                        null,
                        List.of(),
                        "Why?")))
        .isInstanceOfSatisfying(
            ContextTooLargeException.class,
            e -> {
              assertThat(e.available()).isEqualTo(20);
              assertThat(e.needed()).isGreaterThan(20);
              assertThat(e.getMessage()).contains("need " + e.needed()).contains("budget is 20");
            });
  }

  @Test
  void openAiModelsUseTheirTokenizerAndOthersAreFlaggedApproximate() {
    assertThat(TokenCounting.forModel("gpt-4o-mini"))
        .isEqualTo(new TokenCounting("o200k_base", false));
    assertThat(TokenCounting.forModel("openai/gpt-5"))
        .isEqualTo(new TokenCounting("o200k_base", false));
    assertThat(TokenCounting.forModel("o3-mini")).isEqualTo(new TokenCounting("o200k_base", false));
    assertThat(TokenCounting.forModel("gpt-4.1")).isEqualTo(new TokenCounting("o200k_base", false));
    assertThat(TokenCounting.forModel("gpt-4")).isEqualTo(new TokenCounting("cl100k_base", false));
    assertThat(TokenCounting.forModel("gpt-3.5-turbo"))
        .isEqualTo(new TokenCounting("cl100k_base", false));
    TokenCounting claude = TokenCounting.forModel("claude-sonnet-4");
    assertThat(claude.approximate()).isTrue();
    String text = "Approximations are rounded up so that they err on the safe side.";
    int cl100k = new TokenCounting("cl100k_base", false).count(text);
    assertThat(claude.count(text)).isEqualTo((int) Math.ceil(cl100k * 1.1));
    AssembledContext ctx = assembler.assemble(request("claude-sonnet-4", 300));
    assertThat(ctx.approximate()).isTrue();
    assertThat(ctx.tokenizer()).isEqualTo("cl100k_base*1.1");
    assertThat(ctx.used()).isLessThanOrEqualTo(300);
  }

  @Test
  void theResultMapsOntoTheContextAssembledEvent() {
    AssembledContext ctx = assembler.assemble(request("gpt-4", 300));
    var event = ctx.toEvent("assemble", null);
    assertThat(event.tokenizer()).isEqualTo("cl100k_base");
    assertThat(event.budget()).isEqualTo(300);
    assertThat(event.used()).isEqualTo(ctx.used());
    assertThat(event.included()).isEqualTo(ctx.included());
    assertThat(event.cut()).isEqualTo(ctx.cut());
  }

  @Test
  void theSameRequestAlwaysPacksTheSameWay() {
    assertThat(assembler.assemble(request("gpt-4o", 333)))
        .isEqualTo(assembler.assemble(request("gpt-4o", 333)));
  }

  private static ContextRequest request(String model, int budget) {
    List<MemoryView.Turn> turns = new ArrayList<>();
    for (int v = 3; v <= 8; v++) {
      String role = v % 2 == 1 ? "user" : "assistant";
      turns.add(new MemoryView.Turn(v, role, "Turn " + v + " says something about the plan."));
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("plan", "The customer is on the team plan.");
    facts.put("region", "Data stays in the EU region.");
    MemoryView memory =
        new MemoryView("t/c", 8, turns, facts, "They asked about pricing before.", 2);
    List<SearchHit> hits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      hits.add(hit("c" + i, ("Chunk " + i + " explains a detail of the plan. ").repeat(1 + i * 3)));
    }
    return new ContextRequest(model, budget, "You are terse.", memory, hits, "What is my plan?");
  }

  private static SearchHit hit(String id, String text) {
    return new SearchHit(
        id, "doc.md", Chunker.sha256(text), 1.0, text, "Doc", List.of("Doc", "Plans"));
  }
}
