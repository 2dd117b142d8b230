package dev.ballast.core.queue;

/** A completed stage's checkpointed output. */
public record StageOutput(int stageIndex, String stage, byte[] output) {}
