package dev.ballast.core.state;

/**
 * What one committed generation changed.
 *
 * @param added chunks that became live at {@code generation}
 * @param retired chunks live before that are not live at {@code generation}
 * @param unchanged chunks that stayed live
 */
public record IngestResult(
    String collection, long generation, int documents, int added, int retired, int unchanged) {}
