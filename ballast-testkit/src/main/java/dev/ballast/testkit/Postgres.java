package dev.ballast.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
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

  /** A fresh schema name for one test: {@code prefix} and a random base-36 suffix. */
  public static String newSchema(String prefix) {
    return prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
  }

  /**
   * Drops {@code schema} and everything in it, if it exists; a null schema (the test never got as
   * far as making one) is nothing to drop.
   */
  public static void dropSchema(String jdbcUrl, String schema) {
    if (schema == null) {
      return;
    }
    if (!schema.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("not a test schema name: " + schema);
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("dropping schema " + schema + " failed: " + e, e);
    }
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
