package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;

/** The index contract on the in-memory store fake. */
class InMemoryCollectionIndexTest extends CollectionIndexContract {
  @Override
  protected DocumentStore newStore() {
    return new InMemoryDocumentStore();
  }
}
