package dev.ballast.core.config;

import java.util.Locale;

/** The wire format a provider speaks. */
public enum ProviderType {
  OPENAI,
  ANTHROPIC,
  OLLAMA,
  /** Azure OpenAI: OpenAI's bodies on per-deployment paths, {@code api_version} required. */
  AZURE_OPENAI,
  /** Google's native Gemini API. */
  GEMINI,
  /** Amazon Bedrock's Converse API, signed with SigV4 from {@code providers.NAME.aws}. */
  BEDROCK,
  /** Ballast's own fault-injecting simulator, in-process unless a base URL is given. */
  SIMULATOR,
  /** An embedding model run in-process and offline ({@code all-minilm-l6-v2}); no chat. */
  LOCAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
