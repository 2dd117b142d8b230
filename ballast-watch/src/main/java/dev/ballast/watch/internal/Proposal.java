package dev.ballast.watch.internal;

/**
 * A detector's verdict on its way from the journal writer's thread, where detectors run, to the
 * ticker, which writes alerts to the store and the journal.
 *
 * @param alertId the alert this node knows to be open for the series and signal, or null
 */
record Proposal(String series, String signal, Verdict verdict, String alertId) {}
