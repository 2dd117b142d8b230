package dev.ballast.watch;

/**
 * Watch's own counters, for metrics.
 *
 * @param series series tracked in memory
 * @param seriesDropped observations dropped because {@code watch.max_series} was reached
 * @param runsEvicted runs forgotten before they ended (too many in flight)
 * @param unattributed call ends whose start this node did not see
 * @param proposalsDropped detector verdicts dropped because the ticker fell behind
 * @param storeFailures ticks that could not read or write the store
 */
public record WatchStats(
    int series,
    long seriesDropped,
    long runsEvicted,
    long unattributed,
    long proposalsDropped,
    long storeFailures) {}
