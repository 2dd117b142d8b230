/**
 * Wiring a node from its configuration: the store, journal writer, providers, the model-call chain,
 * the pipeline engine with its model calls, the state services and indexes, telemetry, replay, and
 * the HTTP edge on top. Also the same chain without a server for {@code ballast replay} and {@code
 * ballast ingest}.
 */
package dev.ballast.gateway.internal.assembly;
