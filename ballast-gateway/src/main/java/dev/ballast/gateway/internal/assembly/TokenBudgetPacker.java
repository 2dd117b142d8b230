package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.pipeline.spi.ContextPacker;
import dev.ballast.pipeline.spi.Retriever;
import dev.ballast.retrieval.AssembledContext;
import dev.ballast.retrieval.ContextAssembler;
import dev.ballast.retrieval.ContextRequest;
import dev.ballast.retrieval.ContextTooLargeException;
import dev.ballast.retrieval.SearchHit;
import java.util.List;

/**
 * {@code assemble_context} stages pack with the retrieval module's assembler, counting tokens with
 * the tokenizer of the model the group's first deployment serves.
 */
public final class TokenBudgetPacker implements ContextPacker {
  private final BallastConfig config;
  private final ContextAssembler assembler = new ContextAssembler();

  TokenBudgetPacker(BallastConfig config) {
    this.config = config;
  }

  @Override
  public Packed pack(Request request) {
    GroupConfig group =
        config
            .group(request.group())
            .orElseThrow(
                () -> new IllegalArgumentException("no model group \"" + request.group() + "\""));
    List<SearchHit> chunks = request.chunks().stream().map(TokenBudgetPacker::hit).toList();
    AssembledContext packed;
    try {
      packed =
          assembler.assemble(
              new ContextRequest(
                  StateAssembly.modelOf(config, group),
                  request.budget(),
                  request.system(),
                  request.memory(),
                  chunks,
                  request.question()));
    } catch (ContextTooLargeException e) {
      throw new TooLarge(e.needed(), e.available());
    }
    return new Packed(
        packed.messages(),
        packed.tokenizer(),
        packed.approximate(),
        packed.used(),
        packed.included(),
        packed.cut());
  }

  private static SearchHit hit(Retriever.Hit h) {
    return new SearchHit(
        h.chunkId(),
        h.documentId(),
        h.contentHash(),
        h.score(),
        h.text(),
        h.title(),
        h.headings() == null ? List.of() : h.headings());
  }
}
