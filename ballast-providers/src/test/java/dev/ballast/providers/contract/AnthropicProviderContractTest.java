package dev.ballast.providers.contract;

import dev.ballast.core.spi.Provider;
import dev.ballast.providers.ProviderApi;
import dev.ballast.providers.ProviderSettings;
import dev.ballast.providers.Providers;
import java.net.URI;

class AnthropicProviderContractTest extends ProviderContract {
  @Override
  protected Provider provider(URI simulatorBase) {
    return Providers.create(
        ProviderSettings.of("anthropic-contract", ProviderApi.ANTHROPIC)
            .withBaseUrl(simulatorBase));
  }

  // The Messages API has no embeddings endpoint.
  @Override
  protected boolean supportsEmbeddings() {
    return false;
  }
}
