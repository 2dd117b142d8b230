package dev.ballast.providers.contract;

import dev.ballast.core.spi.Provider;
import dev.ballast.providers.AwsCredentials;
import dev.ballast.providers.ProviderSettings;
import dev.ballast.providers.Providers;
import java.net.URI;

class BedrockProviderContractTest extends ProviderContract {
  @Override
  protected Provider provider(URI simulatorBase) {
    // The simulator refuses a Bedrock request without a well-formed SigV4 Authorization header.
    return Providers.create(
        ProviderSettings.bedrock(
            "bedrock-contract",
            simulatorBase,
            new AwsCredentials("us-east-1", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", null)));
  }

  // Converse has no embeddings API.
  @Override
  protected boolean supportsEmbeddings() {
    return false;
  }

  // A Converse stream ends with its metadata event (the usage) after messageStop; nothing follows.
  @Override
  protected boolean hasStreamTerminator() {
    return false;
  }
}
