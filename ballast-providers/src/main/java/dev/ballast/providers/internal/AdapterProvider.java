package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.StreamSink;
import dev.ballast.providers.ProviderSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Provider} made of a {@link WireFormat} and an {@link Transport}: the format says what to
 * send and how to read it, this class runs the exchange under the attempt's deadlines.
 */
public final class AdapterProvider implements Provider {
  private final ProviderSettings settings;
  private final WireFormat format;
  private final Transport transport;
  private final Secrets secrets;
  private final ErrorResponses errors;
  // Per-call constants, built once: the request headers and the URI of each endpoint path.
  private final Map<String, String> plainHeaders;
  private final Map<String, String> streamHeaders;
  private final Map<String, URI> uris = new ConcurrentHashMap<>();

  AdapterProvider(ProviderSettings settings, WireFormat format, Clock clock) {
    this.settings = settings;
    this.format = format;
    this.transport = Transport.forBaseUrl(settings.baseUrl());
    this.secrets = new Secrets(settings.apiKey());
    this.errors = new ErrorResponses(settings.name(), secrets, clock);
    this.plainHeaders = headers(false);
    this.streamHeaders = headers(true);
  }

  /** The adapter for {@code settings.type()}. */
  public static Provider create(ProviderSettings settings) {
    WireFormat format =
        switch (settings.type()) {
          case OPENAI -> new OpenAiFormat();
          case ANTHROPIC -> new AnthropicFormat();
          case OLLAMA -> new OllamaFormat();
          case AZURE_OPENAI -> new AzureOpenAiFormat(settings.apiVersion());
          case GEMINI -> new GeminiFormat();
          case BEDROCK -> new BedrockFormat(settings.aws(), Clock.systemUTC());
        };
    return new AdapterProvider(settings, format, Clock.systemUTC());
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public String system() {
    return format.system();
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    JsonNode body = format.encodeChat(request, options.upstreamModel(), false);
    try (Exchange exchange =
        post(format.chatPath(options.upstreamModel(), false), body, options, false)) {
      ChatResponse response = format.decodeChat(successBody(exchange));
      return format.namesModel() ? response : withModel(response, options.upstreamModel());
    }
  }

  @Override
  public ChatResponse chatStream(ChatRequest request, CallOptions options, StreamSink sink) {
    JsonNode body = format.encodeChat(request, options.upstreamModel(), true);
    try (Exchange exchange =
        post(format.chatPath(options.upstreamModel(), true), body, options, true)) {
      if (exchange.status() >= 300) {
        throw errors.fromHttp(exchange.status(), exchange.headers(), exchange.bodyAsString());
      }
      StreamState state = new StreamState(sink, exchange.guard());
      if (!format.namesModel()) {
        state.identify(null, options.upstreamModel(), null);
      }
      EventReader reader = format.openStream(exchange.body());
      boolean terminated = readEvents(reader, format.streamDecoder(state, errors), state, exchange);
      return state.finish(terminated, reader.raw());
    }
  }

  private static ChatResponse withModel(ChatResponse r, String model) {
    return new ChatResponse(
        r.id(),
        model,
        r.systemFingerprint(),
        r.message(),
        r.finishReason(),
        r.usage(),
        r.repairs(),
        r.raw());
  }

  /** Returns whether the stream's terminating event arrived. */
  private static boolean readEvents(
      EventReader reader, StreamDecoder decoder, StreamState state, Exchange exchange) {
    try {
      for (String data; (data = reader.next()) != null; ) {
        if (decoder.onEvent(data)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      // A provider that said why it finished and then went quiet has given its whole answer;
      // finalizing now is better than failing a complete response.
      if (exchange.guard().expiredAs() == ErrorClass.STREAM_STALL && state.hasFinishReason()) {
        return false;
      }
      ProviderException failure = exchange.readFailure(e, ErrorClass.STREAM_TRUNCATED);
      throw new ProviderException(
          failure.errorClass(), 0, null, null, failure.getMessage(), reader.raw(), e);
    }
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallOptions options) {
    EmbeddingsCodec codec =
        format
            .embeddings()
            .orElseThrow(
                () ->
                    new ProviderException(
                        ErrorClass.BAD_REQUEST,
                        settings.name() + ": " + format.system() + " has no embeddings API"));
    JsonNode body = codec.encode(request, options.upstreamModel());
    try (Exchange exchange = post(codec.path(options.upstreamModel()), body, options, false)) {
      return codec.decode(successBody(exchange));
    }
  }

  private String successBody(Exchange exchange) {
    String body = exchange.bodyAsString();
    if (exchange.status() >= 300) {
      throw errors.fromHttp(exchange.status(), exchange.headers(), body);
    }
    return body;
  }

  private Exchange post(String path, JsonNode body, CallOptions options, boolean stream) {
    // Paths that name a model hold one entry per deployment, so the map stays small.
    URI uri = uris.computeIfAbsent(path, p -> URI.create(settings.baseUrl() + p));
    Map<String, String> headers = stream ? streamHeaders : plainHeaders;
    if (options.traceparent() != null) {
      // W3C trace context: the attempt's span is the upstream's parent, on every wire format.
      Map<String, String> traced = new LinkedHashMap<>(headers);
      traced.put("traceparent", options.traceparent());
      headers = traced;
    }
    byte[] bytes = Nodes.bytes(body);
    return transport
        .post(uri, format.sign(uri, headers, bytes), bytes, options.timeouts(), stream)
        .bounded(settings.maxResponseBytes());
  }

  private Map<String, String> headers(boolean stream) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", format.accept(stream));
    headers.putAll(format.protocolHeaders(settings.apiKey()));
    headers.putAll(settings.headers());
    return Collections.unmodifiableMap(headers);
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "AdapterProvider[" + settings + "]";
  }
}
