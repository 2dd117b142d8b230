package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.store.JournalStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import org.junit.jupiter.api.io.TempDir;

class SqliteJournalStoreTest extends JournalStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return Stores.open("sqlite:", dataDir);
  }

  @Override
  protected OptionalLong storedBlobRows(String hash) {
    String url = "jdbc:sqlite:" + dataDir.resolve("ballast.db");
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM blobs WHERE hash = ?")) {
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
