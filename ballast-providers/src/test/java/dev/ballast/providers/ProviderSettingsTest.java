package dev.ballast.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.spi.Provider;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {
  @Test
  void defaultsTheBaseUrlPerType() {
    assertThat(ProviderSettings.of("a", ProviderApi.OPENAI).baseUrl())
        .isEqualTo(URI.create("https://api.openai.com/v1"));
    assertThat(ProviderSettings.of("b", ProviderApi.ANTHROPIC).baseUrl())
        .isEqualTo(URI.create("https://api.anthropic.com"));
    assertThat(ProviderSettings.of("c", ProviderApi.OLLAMA).baseUrl())
        .isEqualTo(URI.create("http://127.0.0.1:11434"));
  }

  @Test
  void dropsATrailingSlashSoPathsJoinCleanly() {
    ProviderSettings settings =
        ProviderSettings.of("a", ProviderApi.OPENAI)
            .withBaseUrl(URI.create("http://localhost:8000/v1/"));

    assertThat(settings.baseUrl()).isEqualTo(URI.create("http://localhost:8000/v1"));
  }

  @Test
  void neverPrintsTheApiKey() {
    ProviderSettings settings =
        ProviderSettings.of("a", ProviderApi.OPENAI)
            .withApiKey("sk-very-secret")
            .withHeaders(Map.of("OpenAI-Organization", "org-secret"));

    assertThat(settings.toString()).doesNotContain("sk-very-secret").doesNotContain("org-secret");
  }

  @Test
  void rejectsHeadersTheHttpClientOwns() {
    assertThatThrownBy(
            () -> ProviderSettings.of("a", ProviderApi.OPENAI).withHeaders(Map.of("Host", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a.headers: \"Host\"");
  }

  @Test
  void rejectsANonHttpBaseUrl() {
    assertThatThrownBy(
            () ->
                ProviderSettings.of("a", ProviderApi.OLLAMA)
                    .withBaseUrl(URI.create("ftp://example.com")))
        .hasMessageContaining("a.baseUrl must be an http or https URL, but was ftp://example.com");
  }

  @Test
  void createsAnAdapterPerType() {
    for (ProviderApi type : ProviderApi.values()) {
      try (Provider provider = Providers.create(ProviderSettings.of("p", type))) {
        assertThat(provider.name()).isEqualTo("p");
        assertThat(provider.system()).isEqualTo(type.system());
      }
    }
  }
}
