package dev.ballast.core.state;

import java.time.Instant;

/**
 * A mutation as stored: the version it produced, and the effect key of the write that made it (null
 * when the writer gave none).
 */
public record MemoryEntry(
    String conversation, long version, MemoryMutation mutation, String effectKey, Instant at) {}
