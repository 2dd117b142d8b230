package dev.ballast.simulator;

import java.time.Instant;

/**
 * One request the simulator received, as recorded in its attempt log.
 *
 * @param at when the request was received, from the simulator's clock
 * @param api {@code openai}, {@code anthropic}, {@code ollama} or {@code in-process}
 * @param path the HTTP path, or the in-process operation ({@code chat}, {@code embed})
 * @param model the model named in the request (the full spec string)
 * @param stream whether a stream was asked for
 * @param outcome what the simulator decided: {@code ok}, an HTTP status such as {@code 429} or
 *     {@code 503}, {@code context_length}, {@code content_policy}, {@code invalid_spec}, {@code
 *     reset}, {@code silence}, {@code cut} or {@code stall}
 */
public record Attempt(
    Instant at, String api, String path, String model, boolean stream, String outcome) {}
