package dev.ballast.calls;

/**
 * What a caller is told about a model call that failed: a status in HTTP's vocabulary (the journal
 * records it too, so it is the chain's fact, not the server's), OpenAI's error type and code, the
 * request field at fault and, when known, how long to wait before trying again.
 *
 * @param type OpenAI's error type ({@code invalid_request_error}, {@code rate_limit_error}, {@code
 *     upstream_error}, ...); the Anthropic door maps it to its own
 * @param param the request field at fault, or null
 * @param retryAfterSeconds null when there is nothing useful to say
 */
public record FailureAnswer(
    int status, String type, String code, String param, String message, Long retryAfterSeconds) {}
