package dev.ballast.core.model;

import java.util.List;

/**
 * A provider's answer in the normalized model.
 *
 * @param model the model name the provider said answered (not the name that was asked for)
 * @param systemFingerprint the provider's fingerprint, or null
 * @param usage token usage; null from an adapter when the provider sent none (the validator then
 *     counts locally and marks it estimated)
 * @param raw the response exactly as received on the wire (a stream's events concatenated), for the
 *     journal
 */
public record ChatResponse(
    String id,
    String model,
    String systemFingerprint,
    Message message,
    FinishReason finishReason,
    Usage usage,
    List<Repair> repairs,
    String raw) {

  public ChatResponse {
    repairs = repairs == null ? List.of() : List.copyOf(repairs);
  }

  public ChatResponse withMessage(Message newMessage) {
    return new ChatResponse(
        id, model, systemFingerprint, newMessage, finishReason, usage, repairs, raw);
  }

  public ChatResponse withUsage(Usage newUsage) {
    return new ChatResponse(
        id, model, systemFingerprint, message, finishReason, newUsage, repairs, raw);
  }

  public ChatResponse withRepairs(List<Repair> newRepairs) {
    return new ChatResponse(
        id, model, systemFingerprint, message, finishReason, usage, newRepairs, raw);
  }
}
