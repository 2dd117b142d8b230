package dev.ballast.core.state;

/**
 * The outcome of a memory write.
 *
 * @param versionBefore the version the write expected (and found, when applied)
 * @param versionAfter the conversation's version after the write's mutations
 * @param applied false when the effect key had been written before: nothing was applied again and
 *     the versions are those of the original write
 */
public record MemoryWrite(
    String conversation, long versionBefore, long versionAfter, boolean applied) {}
