package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each provider type mounts its API at its own place: OpenAI-compatible servers and the simulator
 * under {@code /v1}, Anthropic and Ollama at the server root. A base URL written the other way is
 * normalized when the configuration loads; one that cannot be is reported with its path, so the
 * mistake shows in {@code ballast config check} rather than as a 404 or 502 at request time.
 */
class ProviderBaseUrlTest {
  private static String baseUrl(String type, String url) {
    String yaml =
        """
        providers: {p: {type: %s, base_url: "%s"}, sim: {type: simulator}}
        deployments: {d: {provider: sim, model: sim}}
        groups: {g: {deployments: [d]}}
        tenants: {t: {keys: ["sha256:%s"]}}
        """
            .formatted(type, url, "a".repeat(64));
    return ConfigLoader.parse("b.yaml", yaml, Map.of()).providers().get("p").baseUrl().toString();
  }

  @Test
  void aSimulatorServerIsReachedUnderV1WhetherOrNotTheUrlSaysSo() {
    assertThat(baseUrl("simulator", "http://127.0.0.1:9")).isEqualTo("http://127.0.0.1:9/v1");
    assertThat(baseUrl("simulator", "http://127.0.0.1:9/")).isEqualTo("http://127.0.0.1:9/v1");
    assertThat(baseUrl("simulator", "http://127.0.0.1:9/v1/")).isEqualTo("http://127.0.0.1:9/v1");
  }

  @Test
  void anAnthropicServerIsReachedAtItsRootEvenWhenTheUrlEndsInV1() {
    assertThat(baseUrl("anthropic", "https://api.anthropic.com/v1"))
        .isEqualTo("https://api.anthropic.com");
    assertThat(baseUrl("anthropic", "https://api.anthropic.com/v1/messages"))
        .isEqualTo("https://api.anthropic.com");
    assertThat(baseUrl("anthropic", "https://proxy.example/anthropic/"))
        .isEqualTo("https://proxy.example/anthropic");
  }

  @Test
  void anOpenAiUrlKeepsItsPathButLosesAnEndpointCopiedIntoIt() {
    assertThat(baseUrl("openai", "https://x.example/openai/v1/chat/completions"))
        .isEqualTo("https://x.example/openai/v1");
    assertThat(baseUrl("openai", "http://127.0.0.1:8000")).isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(baseUrl("ollama", "http://127.0.0.1:11434/api")).isEqualTo("http://127.0.0.1:11434");
  }

  @Test
  void whatCannotBeNormalizedIsReportedWithItsPath() {
    String yaml =
        """
        providers:
          s: {type: simulator, base_url: "http://127.0.0.1:9/sim"}
          o: {type: ollama, base_url: "http://127.0.0.1:11434/v1"}
          q: {type: openai, base_url: "https://x.example/v1?api-version=1"}
          l: {type: local, base_url: "http://127.0.0.1:1"}
        """;
    assertThatThrownBy(() -> ConfigLoader.parse("b.yaml", yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("providers.s.base_url: the simulator serves its API under /v1")
        .hasMessageContaining("providers.o.base_url: Ollama's native API is at the server root")
        .hasMessageContaining("providers.q.base_url: must not have a query or fragment")
        .hasMessageContaining("providers.l.base_url: a local provider runs in-process");
  }
}
