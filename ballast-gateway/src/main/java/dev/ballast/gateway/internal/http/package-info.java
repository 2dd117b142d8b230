/**
 * The HTTP edge on Helidon: routes, authentication before every API route, request bodies,
 * deadlines and priorities from headers, {@code Idempotency-Key}, server-sent events, trace
 * context, and the one mapping from what a handler threw to the status and body a client receives
 * ({@link dev.ballast.gateway.internal.http.HttpErrors}). Model calls go to {@link
 * dev.ballast.calls.ModelCallChain}; nothing here decides how a call is routed or retried. Depends
 * on the wire formats, never on the assembly.
 */
package dev.ballast.gateway.internal.http;
