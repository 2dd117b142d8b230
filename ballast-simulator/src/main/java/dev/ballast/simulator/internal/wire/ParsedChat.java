package dev.ballast.simulator.internal.wire;

import dev.ballast.core.model.ChatRequest;

/** A chat request read from a wire format, with the streaming options that only the wire has. */
public record ParsedChat(ChatRequest request, boolean stream, boolean includeUsage) {}
