package dev.ballast.providers.contract;

import dev.ballast.core.spi.Provider;
import dev.ballast.providers.ProviderApi;
import dev.ballast.providers.ProviderSettings;
import dev.ballast.providers.Providers;
import java.net.URI;

class OpenAiProviderContractTest extends ProviderContract {
  @Override
  protected Provider provider(URI simulatorBase) {
    return Providers.create(
        ProviderSettings.of("openai-contract", ProviderApi.OPENAI)
            .withBaseUrl(simulatorBase.resolve("/v1")));
  }
}
