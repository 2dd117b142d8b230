package dev.ballast.providers;

import java.net.URI;

/** The wire format a provider speaks, with the base URL its public service uses. */
public enum ProviderApi {
  /** OpenAI Chat Completions and every server that copies it (Azure, vLLM, LM Studio...). */
  OPENAI("openai", URI.create("https://api.openai.com/v1")),
  /** Anthropic Messages. */
  ANTHROPIC("anthropic", URI.create("https://api.anthropic.com")),
  /** Ollama's native API. */
  OLLAMA("ollama", URI.create("http://127.0.0.1:11434")),
  /**
   * Azure OpenAI: the OpenAI body on per-deployment paths with an {@code api-version} query and an
   * {@code api-key} header. Every resource has its own host, so there is no default base URL.
   */
  AZURE_OPENAI("azure.ai.openai", null),
  /** Google's native Gemini API ({@code generateContent}). */
  GEMINI("gcp.gemini", URI.create("https://generativelanguage.googleapis.com")),
  /**
   * Amazon Bedrock's Converse API, signed with SigV4. The default base URL depends on the region,
   * so it is {@code https://bedrock-runtime.REGION.amazonaws.com} rather than a constant.
   */
  BEDROCK("aws.bedrock", null);

  private final String system;
  private final URI defaultBaseUrl;

  ProviderApi(String system, URI defaultBaseUrl) {
    this.system = system;
    this.defaultBaseUrl = defaultBaseUrl;
  }

  /** The provider family as reported in {@code gen_ai.provider.name}. */
  public String system() {
    return system;
  }

  /**
   * The base URL used when the settings name none, or null when it cannot be a constant ({@link
   * #AZURE_OPENAI}, {@link #BEDROCK}). For {@link #OPENAI} it includes {@code /v1}, because
   * OpenAI-compatible servers differ in where they mount the API.
   */
  public URI defaultBaseUrl() {
    return defaultBaseUrl;
  }
}
