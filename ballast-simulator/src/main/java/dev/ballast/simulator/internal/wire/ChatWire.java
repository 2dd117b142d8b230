package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.simulator.internal.Answer;
import dev.ballast.simulator.internal.PlannedFailure;
import java.util.Map;

/** One provider's chat wire format: how requests read and how answers and errors are written. */
public interface ChatWire {
  /** The name recorded in the attempt log: {@code openai}, {@code anthropic}, {@code ollama}. */
  String api();

  /**
   * @throws IllegalArgumentException when the body is not a valid request of this format
   */
  ParsedChat parse(JsonNode body);

  String errorBody(PlannedFailure failure);

  /**
   * The status a failure is answered with: the failure's own, unless this wire reports that kind of
   * failure inside a successful response (Gemini's blocked prompts).
   */
  default int errorStatus(PlannedFailure failure) {
    return failure.status();
  }

  /** Headers an error response carries besides Retry-After (AWS's {@code x-amzn-errortype}). */
  default Map<String, String> errorHeaders(PlannedFailure failure) {
    return Map.of();
  }

  String response(Answer answer, Render render);

  StreamEvents stream(Answer answer, Render render, ParsedChat chat);
}
