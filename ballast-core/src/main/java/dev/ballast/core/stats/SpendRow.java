package dev.ballast.core.stats;

/**
 * One group's spend: the provider attempts of its calls, failed attempts a provider bills included.
 *
 * @param group the tenant, key id, model group or pipeline; null for calls without one (a
 *     configuration key's, a call outside a pipeline)
 * @param requests the calls (runs) that made at least one attempt in the window
 */
public record SpendRow(
    String group, long requests, long inputTokens, long outputTokens, double costUsd) {}
