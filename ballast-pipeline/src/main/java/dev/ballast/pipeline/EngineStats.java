package dev.ballast.pipeline;

/**
 * Counters of one node's engine since it started.
 *
 * @param running runs this node is executing now
 * @param claimed leases taken
 * @param stagesCompleted stage outputs checkpointed
 * @param runsSucceeded runs completed here
 * @param runsDead runs moved to dead here
 * @param parked runs parked on an unavailable dependency
 * @param leasesLost leases this node lost (heartbeat refused or a write fenced off)
 */
public record EngineStats(
    int running,
    long claimed,
    long stagesCompleted,
    long runsSucceeded,
    long runsDead,
    long parked,
    long leasesLost) {}
