package dev.ballast.core.model;

/**
 * A call the model asked for. {@code arguments} is always a JSON text: adapters that receive an
 * object instead of a string serialize it and record a {@link Repair}.
 */
public record ToolCall(String id, String name, String arguments) {}
