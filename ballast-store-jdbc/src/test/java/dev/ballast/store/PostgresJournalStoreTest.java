package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.store.JournalStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The contract against a real PostgreSQL, each test in a schema of its own, dropped after. */
class PostgresJournalStoreTest extends JournalStoreContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected Store newStore() {
    schema = Postgres.newSchema("ballast_t_");
    return Stores.open(jdbcUrl + "&schema=" + schema, null);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (schema != null) {
      Postgres.dropSchema(jdbcUrl, schema);
    }
  }

  @Override
  protected OptionalLong storedBlobRows(String hash) {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM " + schema + ".blobs WHERE hash = ?")) {
      ps.setString(1, hash);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return OptionalLong.of(rs.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
