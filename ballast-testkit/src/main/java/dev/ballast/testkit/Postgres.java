package dev.ballast.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL that backend tests run against: {@code 127.0.0.1:5432/test} as {@code postgres}
 * unless {@code BALLAST_TEST_POSTGRES_URL} names another JDBC URL.
 *
 * <p>When it is unreachable a test is skipped on a laptop but fails in CI ({@code CI=true}), so
 * that a missing database can never turn the PostgreSQL half of the suite silently green.
 */
public final class Postgres {
  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final int CONNECT_TIMEOUT_MS = 1_000;

  private static volatile Boolean reachable;

  private Postgres() {}

  /**
   * Returns the JDBC URL of the test database, or ends the calling test: aborted (skipped) when
   * PostgreSQL is unreachable outside CI, failed when it is unreachable in CI.
   */
  public static String requireAvailable() {
    String url = System.getenv().getOrDefault("BALLAST_TEST_POSTGRES_URL", DEFAULT_URL);
    if (reachable == null) {
      reachable = reachable(url);
    }
    if (!reachable) {
      String message =
          "PostgreSQL is not reachable at "
              + url
              + " (start it with: pg_ctlcluster --skip-systemctl-redirect <version> main start,"
              + " or set BALLAST_TEST_POSTGRES_URL)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(message + "; CI=true, so the PostgreSQL tests must run");
      }
      Assumptions.abort(message + "; skipping the PostgreSQL tests");
    }
    return url;
  }

  private static boolean reachable(String jdbcUrl) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
