package dev.ballast.providers.contract;

import dev.ballast.core.spi.Provider;
import dev.ballast.providers.ProviderApi;
import dev.ballast.providers.ProviderSettings;
import dev.ballast.providers.Providers;
import java.net.URI;

class OllamaProviderContractTest extends ProviderContract {
  @Override
  protected Provider provider(URI simulatorBase) {
    return Providers.create(
        ProviderSettings.of("ollama-contract", ProviderApi.OLLAMA).withBaseUrl(simulatorBase));
  }

  // An Ollama stream ends with its "done": true line, which carries the finish reason and usage;
  // there is no terminator after it that could go missing on its own.
  @Override
  protected boolean hasStreamTerminator() {
    return false;
  }
}
