package dev.ballast.core.model;

import com.fasterxml.jackson.databind.JsonNode;

/** A function the model may call; {@code parameters} is a JSON Schema object or null. */
public record ToolDefinition(String name, String description, JsonNode parameters) {}
