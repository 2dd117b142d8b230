package dev.ballast.providers.internal;

import java.net.URI;

/**
 * The hand-written HTTP/1.1 client, with its production pool settings, under the conformance suite.
 */
class Http1TransportConformanceTest extends TransportConformance {
  @Override
  Transport open(URI baseUrl) {
    return new Http1Transport(baseUrl);
  }
}
