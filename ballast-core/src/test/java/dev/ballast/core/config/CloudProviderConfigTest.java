package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider types whose settings go beyond a URL and a key: Azure OpenAI, Gemini, Bedrock. */
class CloudProviderConfigTest {
  private static final String REST =
      """
      deployments: {d1: {provider: p, model: m}}
      groups: {fast: {deployments: [d1]}}
      tenants: {t: {keys: ["sha256:%s"]}}
      """
          .formatted("a".repeat(64));

  private static ProviderConfig provider(String yaml, Map<String, String> env) {
    return ConfigLoader.parse("c.yaml", "providers:\n  p: " + yaml + "\n" + REST, env)
        .providers()
        .get("p");
  }

  private static ConfigException error(String yaml, Map<String, String> env) {
    try {
      provider(yaml, env);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("the configuration was accepted");
  }

  @Test
  void readsAnAzureProvider() {
    ProviderConfig p =
        provider(
            "{type: azure_openai, base_url: \"https://res.openai.azure.com\","
                + " api_key: \"${AZ}\", api_version: 2024-10-21}",
            Map.of("AZ", "azure-key"));

    assertThat(p.type()).isEqualTo(ProviderType.AZURE_OPENAI);
    assertThat(p.baseUrl()).isEqualTo(URI.create("https://res.openai.azure.com"));
    assertThat(p.apiKey().value()).isEqualTo("azure-key");
    assertThat(p.apiVersion()).isEqualTo("2024-10-21");
  }

  @Test
  void requiresAzuresApiVersionAndBaseUrlByPath() {
    ConfigException e = error("{type: azure_openai, api_key: k}", Map.of());

    assertThat(e.errors())
        .contains(
            "providers.p.api_version: is required",
            "providers.p.base_url: is required for azure_openai"
                + " (https://RESOURCE.openai.azure.com)");
  }

  @Test
  void rejectsAMalformedApiVersionAndOneOnAnotherType() {
    assertThat(
            error("{type: azure_openai, base_url: \"https://r\", api_version: yesterday}", Map.of())
                .errors())
        .anySatisfy(m -> assertThat(m).startsWith("providers.p.api_version: expected a version"));
    assertThat(error("{type: openai, api_version: 2024-10-21}", Map.of()).errors())
        .contains("providers.p.api_version: only an azure_openai provider has an api_version");
  }

  @Test
  void readsABedrockProviderWithCredentialsFromTheEnvironment() {
    ProviderConfig p =
        provider(
            "{type: bedrock, aws: {region: eu-central-1, access_key_id: \"${KID}\","
                + " secret_access_key: \"${SECRET}\", session_token: \"${TOKEN}\"}}",
            Map.of("KID", "AKIDEXAMPLE", "SECRET", "wJalrXUtnFEMI", "TOKEN", "session"));

    assertThat(p.type()).isEqualTo(ProviderType.BEDROCK);
    assertThat(p.aws().region()).isEqualTo("eu-central-1");
    assertThat(p.aws().accessKeyId().value()).isEqualTo("AKIDEXAMPLE");
    assertThat(p.aws().secretAccessKey().value()).isEqualTo("wJalrXUtnFEMI");
    assertThat(p.aws().sessionToken().value()).isEqualTo("session");
    assertThat(p.toString()).doesNotContain("wJalrXUtnFEMI", "AKIDEXAMPLE");
  }

  @Test
  void reportsEveryMissingBedrockSettingByPath() {
    assertThat(error("{type: bedrock}", Map.of()).errors())
        .contains(
            "providers.p.aws: is required for bedrock (region, access_key_id, secret_access_key)");
    assertThat(error("{type: bedrock, aws: {region: \"US East\", colour: red}}", Map.of()).errors())
        .contains(
            "providers.p.aws.access_key_id: is required",
            "providers.p.aws.secret_access_key: is required")
        .anySatisfy(m -> assertThat(m).startsWith("providers.p.aws.region: expected a region"))
        .anySatisfy(m -> assertThat(m).startsWith("providers.p.aws.colour: unknown key"));
  }

  @Test
  void neverEchoesASecretFromTheEnvironmentInAnError() {
    ConfigException e =
        error(
            "{type: bedrock, aws: {region: \"${KID}\", access_key_id: a, secret_access_key: b}}",
            Map.of("KID", "AKIDVERYSECRETVALUE1"));

    assertThat(e.getMessage()).doesNotContain("AKIDVERYSECRETVALUE1").contains("${KID}");
  }

  @Test
  void readsAGeminiProvider() {
    ProviderConfig p = provider("{type: gemini, api_key: g}", Map.of());

    assertThat(p.type()).isEqualTo(ProviderType.GEMINI);
    assertThat(p.aws()).isNull();
    assertThatThrownBy(() -> provider("{type: gemini, aws: {region: us-east-1}}", Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            ce ->
                assertThat(ce.errors())
                    .contains("providers.p.aws: only a bedrock provider has aws credentials"));
  }

  @Test
  void refusesAFingerprintPinOnAGeminiOrBedrockDeployment() {
    String yaml =
        """
        providers: {p: {type: gemini, api_key: g}}
        deployments: {d1: {provider: p, model: m, expect: {fingerprint: [fp_1]}}}
        groups: {fast: {deployments: [d1]}}
        tenants: {t: {keys: ["sha256:%s"]}}
        """
            .formatted("a".repeat(64));

    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", yaml, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .contains(
                        "deployments.d1.expect.fingerprint: Gemini answers carry no"
                            + " system_fingerprint; pin the model only"));
  }
}
