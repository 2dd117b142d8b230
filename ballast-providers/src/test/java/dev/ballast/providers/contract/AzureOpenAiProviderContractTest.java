package dev.ballast.providers.contract;

import dev.ballast.core.spi.Provider;
import dev.ballast.providers.ProviderSettings;
import dev.ballast.providers.Providers;
import java.net.URI;

class AzureOpenAiProviderContractTest extends ProviderContract {
  @Override
  protected Provider provider(URI simulatorBase) {
    // The simulator refuses an Azure request without its api-key header and api-version query.
    return Providers.create(
        ProviderSettings.azureOpenAi(
            "azure-contract", simulatorBase, "azure-test-key", "2024-10-21"));
  }
}
