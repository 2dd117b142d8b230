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
      try (Provider provider = Providers.create(minimal(type))) {
        assertThat(provider.name()).isEqualTo("p");
        assertThat(provider.system()).isEqualTo(type.system());
      }
    }
  }

  private static ProviderSettings minimal(ProviderApi type) {
    return switch (type) {
      case AZURE_OPENAI ->
          ProviderSettings.azureOpenAi(
              "p", URI.create("https://res.openai.azure.com"), "k", "2024-10-21");
      case BEDROCK ->
          ProviderSettings.bedrock("p", null, new AwsCredentials("us-east-1", "AKID", "s", null));
      default -> ProviderSettings.of("p", type);
    };
  }

  @Test
  void requiresAnApiVersionAndABaseUrlForAzure() {
    assertThatThrownBy(() -> ProviderSettings.azureOpenAi("az", URI.create("https://r"), "k", null))
        .hasMessageContaining("az.apiVersion is required for azure_openai");
    assertThatThrownBy(() -> ProviderSettings.azureOpenAi("az", null, "k", "2024-10-21"))
        .hasMessageContaining("az.baseUrl is required for azure_openai");
  }

  @Test
  void derivesBedrocksBaseUrlFromItsRegionAndMasksItsSecrets() {
    ProviderSettings settings =
        ProviderSettings.bedrock(
            "br", null, new AwsCredentials("eu-west-3", "AKIDEXAMPLE", "SECRETVALUE", "TOKEN"));

    assertThat(settings.baseUrl())
        .isEqualTo(URI.create("https://bedrock-runtime.eu-west-3.amazonaws.com"));
    assertThat(settings.toString()).doesNotContain("AKIDEXAMPLE", "SECRETVALUE", "TOKEN");
    assertThatThrownBy(() -> ProviderSettings.of("br", ProviderApi.BEDROCK))
        .hasMessageContaining("br.aws credentials are required for bedrock");
  }
}
