package dev.ballast.core.watch;

/**
 * What one node observed of one signal of one series during one minute, compact enough to keep a
 * week of: the count, the sum and sum of squares of the watched values (log values for latency and
 * tokens, 0 or 1 for a rate) and, for a continuous signal, a sparse histogram of them from which a
 * robust baseline (median, MAD) is read. Rows of every node for a minute add up to the cluster's.
 *
 * @param minute minutes since the epoch (UTC)
 * @param node the node that wrote the row; a node rewrites its own rows as late runs arrive
 * @param histogram Watch's own encoding ({@code bucket:count,...}), empty for a rate
 */
public record MinuteAggregate(
    long minute,
    String series,
    String signal,
    String node,
    long count,
    double sum,
    double sumSquares,
    String histogram) {
  public MinuteAggregate {
    histogram = histogram == null ? "" : histogram;
  }
}
