package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.providers.AwsCredentials;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Amazon Bedrock's Converse API: {@code POST /model/MODEL_ID/converse} and {@code /converse-stream}
 * (AWS event-stream framing), every request signed with SigV4 by the AWS SDK's own signer. Only the
 * signer is used: the request still goes through Ballast's transport and deadlines, and no SDK type
 * leaves this class. Converse has no embeddings API.
 */
final class BedrockFormat implements WireFormat {
  static final String SIGNING_NAME = "bedrock";

  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsIdentity identity;
  private final String region;
  private final Clock clock;

  BedrockFormat(AwsCredentials aws, Clock clock) {
    this.identity =
        aws.sessionToken() == null
            ? AwsCredentialsIdentity.create(aws.accessKeyId(), aws.secretAccessKey())
            : AwsSessionCredentialsIdentity.create(
                aws.accessKeyId(), aws.secretAccessKey(), aws.sessionToken());
    this.region = aws.region();
    this.clock = clock;
  }

  @Override
  public String system() {
    return "aws.bedrock";
  }

  /** Model ids and ARNs contain colons and slashes, which must stay inside one path segment. */
  @Override
  public String chatPath(String upstreamModel, boolean stream) {
    String model = URLEncoder.encode(upstreamModel, StandardCharsets.UTF_8).replace("+", "%20");
    return "/model/" + model + (stream ? "/converse-stream" : "/converse");
  }

  @Override
  public Optional<EmbeddingsCodec> embeddings() {
    return Optional.empty();
  }

  @Override
  public String accept(boolean stream) {
    return stream ? "application/vnd.amazon.eventstream" : "application/json";
  }

  @Override
  public Map<String, String> protocolHeaders(String apiKey) {
    return Map.of();
  }

  /**
   * Signs every header that will be sent, so the signature covers them all. Host is signed from the
   * URI and left to the transport to send, which writes the same value.
   */
  @Override
  public Map<String, String> sign(URI uri, Map<String, String> headers, byte[] body) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
    headers.forEach(request::putHeader);
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(identity)
                    .request(request.build())
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("host") && !header.getValue().isEmpty()) {
        out.put(header.getKey(), header.getValue().getFirst());
      }
    }
    return out;
  }

  @Override
  public JsonNode encodeChat(ChatRequest request, String upstreamModel, boolean stream) {
    return BedrockRequestEncoder.chat(request);
  }

  @Override
  public ChatResponse decodeChat(String body) {
    return BedrockResponseDecoder.chat(body);
  }

  @Override
  public boolean namesModel() {
    return false;
  }

  @Override
  public EventReader openStream(InputStream body) {
    return new EventStreamReader(body);
  }

  @Override
  public StreamDecoder streamDecoder(StreamState state, ErrorResponses errors) {
    return new BedrockStreamDecoder(state, errors);
  }
}
