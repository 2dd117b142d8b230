package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.simulator.internal.Answer;
import dev.ballast.simulator.internal.PlannedFailure;
import java.util.List;

/**
 * Azure OpenAI: OpenAI's bodies on {@code /openai/deployments/DEPLOYMENT/...}. The deployment in
 * the path, not the body's {@code model}, names the model (Azure ignores the body's). One instance
 * serves one request.
 */
public final class AzureOpenAiWire implements EmbedWire {
  private final OpenAiWire openAi = new OpenAiWire();
  private final String deployment;

  public AzureOpenAiWire(String deployment) {
    this.deployment = deployment;
  }

  @Override
  public String api() {
    return "azure_openai";
  }

  @Override
  public ParsedChat parse(JsonNode body) {
    ParsedChat chat = openAi.parse(body);
    return new ParsedChat(chat.request().withModel(deployment), chat.stream(), chat.includeUsage());
  }

  /** Azure's error envelope; a refused prompt carries {@code code: content_filter}. */
  @Override
  public String errorBody(PlannedFailure failure) {
    if (failure.kind() != PlannedFailure.Kind.CONTENT_POLICY) {
      return openAi.errorBody(failure);
    }
    ObjectNode error =
        Wires.object()
            .put(
                "message",
                "The response was filtered due to the prompt triggering Azure OpenAI's content"
                    + " management policy.")
            .putNull("type")
            .put("param", "prompt")
            .put("code", "content_filter")
            .put("status", 400);
    error.putObject("innererror").put("code", "ResponsibleAIPolicyViolation");
    ObjectNode root = Wires.object();
    root.set("error", error);
    return Wires.json(root);
  }

  @Override
  public String response(Answer answer, Render render) {
    return openAi.response(answer, render);
  }

  @Override
  public StreamEvents stream(Answer answer, Render render, ParsedChat chat) {
    return openAi.stream(answer, render, chat);
  }

  @Override
  public EmbeddingRequest parseEmbedding(JsonNode body) {
    EmbeddingRequest r = openAi.parseEmbedding(body);
    return new EmbeddingRequest(deployment, r.input(), r.dimensions());
  }

  @Override
  public String embeddingResponse(String model, List<float[]> vectors, int inputTokens) {
    return openAi.embeddingResponse(model, vectors, inputTokens);
  }
}
