package dev.ballast.gateway.internal.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of the node's HTTP API, kept by hand in the
 * resource {@code dev/ballast/gateway/openapi.json} and checked against the routes a node really
 * registers (OpenApiCoverageTest). Unauthenticated, like the health probes: it describes the API,
 * never its data.
 */
public final class OpenApiDocument {
  public static final String PATH = "/openapi.json";
  static final String RESOURCE = "/dev/ballast/gateway/openapi.json";

  private final byte[] document;

  private OpenApiDocument(byte[] document) {
    this.document = document;
  }

  /** The document from the jar; read once. */
  public static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + RESOURCE);
      }
      return new OpenApiDocument(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void register(HttpRouting.Builder routing) {
    routing.get(
        PATH,
        (req, res) -> {
          res.header(HeaderNames.CONTENT_TYPE, "application/json");
          res.send(document);
        });
  }
}
