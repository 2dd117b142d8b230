package dev.ballast.client;

/**
 * Options of a submission.
 *
 * @param idempotencyKey null for none; submissions with the same key (per tenant and pipeline) make
 *     one run, and the later ones receive it with {@link PipelineRun#replayed()} set. Use one when
 *     a submission may be retried after a network error.
 * @param priority null for the pipeline's default; higher is claimed first
 */
public record SubmitOptions(String idempotencyKey, Integer priority) {
  /** No idempotency key, the pipeline's default priority. */
  public static final SubmitOptions DEFAULT = new SubmitOptions(null, null);

  public SubmitOptions {
    if (idempotencyKey != null && idempotencyKey.isBlank()) {
      throw new IllegalArgumentException("idempotencyKey must be null or non-blank, but was blank");
    }
  }

  public static SubmitOptions idempotencyKey(String key) {
    return new SubmitOptions(key, null);
  }

  public SubmitOptions withPriority(int newPriority) {
    return new SubmitOptions(idempotencyKey, newPriority);
  }
}
