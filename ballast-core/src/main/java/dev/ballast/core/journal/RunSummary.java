package dev.ballast.core.journal;

import java.time.Instant;

/**
 * The row-per-run view of the journal that listing and filtering use. Derived from the events; the
 * events remain the truth.
 */
public record RunSummary(
    String id,
    String tenant,
    String kind,
    String operation,
    String model,
    RunStatus status,
    Instant startedAt,
    Instant endedAt,
    String deployment,
    String responseModel,
    String errorClass,
    int inputTokens,
    int outputTokens,
    double cost,
    int attempts) {}
