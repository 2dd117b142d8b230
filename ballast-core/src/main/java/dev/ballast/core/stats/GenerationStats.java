package dev.ballast.core.stats;

/**
 * One committed generation of a collection.
 *
 * @param documents documents live in it
 * @param chunks chunks live in it
 * @param added chunks that first became live in it
 * @param retired chunks that stopped being live in it
 */
public record GenerationStats(
    long generation, long documents, long chunks, long added, long retired) {}
