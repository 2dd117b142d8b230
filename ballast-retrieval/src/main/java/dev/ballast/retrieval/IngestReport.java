package dev.ballast.retrieval;

import dev.ballast.core.state.IngestResult;

/**
 * What an ingestion did: the committed generation (from the store) and how much embedding work it
 * took.
 *
 * @param embedded chunks embedded because their content was new to their document
 * @param reused chunks committed without a vector because their document already held their content
 *     live; the store kept their vectors
 */
public record IngestReport(IngestResult result, int embedded, int reused) {}
