package dev.ballast.gateway.internal.http;

import dev.ballast.calls.CallFailures;
import dev.ballast.gateway.internal.wire.ApiError;
import java.util.Optional;

/**
 * The HTTP edge's one table from what a handler threw to what the client is answered: an {@link
 * ApiError} (a problem with the request itself) as it is; a model call's typed failure as {@link
 * CallFailures} describes it; anything else is not a known failure (a bug: answered 500, logged).
 */
final class HttpErrors {
  private HttpErrors() {}

  static Optional<ApiError> answer(Throwable failure) {
    if (failure instanceof ApiError error) {
      return Optional.of(error);
    }
    return CallFailures.answer(failure)
        .map(
            described -> {
              ApiError error = ApiError.of(described);
              error.initCause(failure);
              return error;
            });
  }
}
