package dev.ballast.pipeline;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.pipeline.spi.ContextPacker;
import dev.ballast.pipeline.spi.Retriever;

/**
 * The versioned state pipeline stages read and write (docs/state.md). Runs are pinned at submission
 * from {@code documents} (collection generations) and {@code memory} (the conversation's version);
 * {@code retrieve} stages search through {@code retriever} as of the pinned generation, {@code
 * assemble_context} stages pack through {@code packer}, and {@code memory_update} stages write
 * {@code memory}.
 *
 * @param retriever null on a node that pins and writes state but runs no retrieval
 * @param packer null on a node that runs no context assembly
 */
public record StateServices(
    DocumentStore documents, MemoryStore memory, Retriever retriever, ContextPacker packer) {}
