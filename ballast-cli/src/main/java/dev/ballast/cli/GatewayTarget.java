package dev.ballast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.BallastException;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The running gateway a command talks to and the key it presents: {@code --url} (default: the
 * configuration's host and port), {@code --key} (default: {@code $BALLAST_API_KEY}, then the
 * development key in {@code DATA/dev.key}). A picocli mixin; {@link #send} answers the response
 * body as JSON, or throws a {@link BallastException} with the gateway's error message.
 */
final class GatewayTarget {
  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "the gateway (default: http://HOST:PORT of the configuration's server)")
  String url;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "an administrator's key (default: $"
              + SubmitCommand.KEY_VARIABLE
              + ", else the development key in DATA/dev.key)")
  String key;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "ballast.yaml whose server host/port and data_dir give the defaults")
  Path config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "data directory holding dev.key (default: server.data_dir, or ballast-data)")
  Path data;

  /** Sends {@code method path} with an optional JSON body; the answer's JSON on 2xx. */
  JsonNode send(Map<String, String> env, String method, String path, JsonNode body) {
    BallastConfig file = config == null ? null : ConfigLoader.load(config, env);
    String apiKey = key(env, file);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base(env, file, apiKey) + path))
            .timeout(Duration.ofSeconds(30))
            .header("authorization", "Bearer " + apiKey)
            .header("content-type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newHttpClient()) {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new BallastException(
          "cannot reach the gateway at "
              + request.build().uri()
              + ": "
              + e
              + " (is it running? start one with: ballast serve)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BallastException("interrupted", e);
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      String message = answer.at("/error/message").asText(response.body());
      throw new BallastException("the gateway answered " + response.statusCode() + ": " + message);
    }
    return answer;
  }

  private static JsonNode parse(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      return Json.mapper().createObjectNode();
    }
  }

  private String key(Map<String, String> env, BallastConfig file) {
    if (key != null) {
      return key;
    }
    String fromEnv = env.get(SubmitCommand.KEY_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    Path dir =
        data != null ? data : file != null ? file.server().dataDir() : Path.of("ballast-data");
    Path devKey = dir.resolve("dev.key");
    try {
      return Files.readString(devKey, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new BallastException(
          "no API key: pass --key KEY or set "
              + SubmitCommand.KEY_VARIABLE
              + " (there is no development key at "
              + devKey
              + ")");
    } catch (IOException e) {
      throw new BallastException("cannot read " + devKey + ": " + e.getMessage(), e);
    }
  }

  private String base(Map<String, String> env, BallastConfig file, String apiKey) {
    if (url != null) {
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
    ServerConfig server =
        file != null
            ? file.server()
            : ConfigLoader.defaults(env, Path.of("ballast-data"), ConfigLoader.hashKey(apiKey))
                .server();
    String host = server.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + server.port();
  }
}
