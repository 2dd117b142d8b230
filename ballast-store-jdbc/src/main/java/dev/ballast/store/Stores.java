package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.store.internal.JdbcStore;
import dev.ballast.store.internal.StoreUrl;
import java.nio.file.Path;

/**
 * Opens journal stores from a URL. The SQLite store is the embedded default; PostgreSQL is for any
 * number of nodes sharing one database. Both migrate their schema (Flyway) on open.
 *
 * <p>Accepted URLs:
 *
 * <ul>
 *   <li>{@code sqlite:} — {@code ballast.db} in the data directory;
 *   <li>{@code sqlite:path/to/file.db} — relative to the working directory, or absolute;
 *   <li>{@code postgresql://host:port/db?user=u&password=p} or {@code jdbc:postgresql://...}; an
 *       optional {@code schema=name} parameter keeps the tables in that schema (created when
 *       missing), so that tests and tenants of one database can be isolated.
 * </ul>
 */
public final class Stores {
  private Stores() {}

  /**
   * Opens (creating and migrating as needed) the store at {@code url}.
   *
   * @param dataDir where {@code sqlite:} keeps its default database; created when missing
   * @throws InvalidStoreUrlException when the URL is not one of the accepted forms
   * @throws StoreException when the database cannot be opened or migrated
   */
  public static Store open(String url, Path dataDir) {
    return JdbcStore.open(StoreUrl.parse(url, dataDir));
  }
}
