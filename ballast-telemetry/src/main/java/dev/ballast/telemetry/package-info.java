/**
 * Spans and metrics derived from the journal: {@link dev.ballast.telemetry.JournalSpans} (a run's
 * OpenTelemetry spans), {@link dev.ballast.telemetry.JournalTracer} (a journal listener exporting
 * them over OTLP/HTTP), {@link dev.ballast.telemetry.BallastMetrics} (Prometheus metrics) and
 * {@link dev.ballast.telemetry.BallastTelemetry} (both behind one listener). Everything under
 * {@code .internal} may change without notice.
 */
package dev.ballast.telemetry;
