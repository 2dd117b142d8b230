package dev.ballast.providers.contract;

import dev.ballast.core.spi.Provider;
import dev.ballast.providers.ProviderApi;
import dev.ballast.providers.ProviderSettings;
import dev.ballast.providers.Providers;
import java.net.URI;

class GeminiProviderContractTest extends ProviderContract {
  @Override
  protected Provider provider(URI simulatorBase) {
    // The simulator refuses a Gemini request without its x-goog-api-key header.
    return Providers.create(
        ProviderSettings.of("gemini-contract", ProviderApi.GEMINI)
            .withBaseUrl(simulatorBase)
            .withApiKey("gemini-test-key"));
  }

  // A Gemini stream ends with the chunk that carries the finish reason; nothing follows it.
  @Override
  protected boolean hasStreamTerminator() {
    return false;
  }
}
