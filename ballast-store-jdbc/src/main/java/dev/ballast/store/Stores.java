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

  /**
   * Opens the store at {@code url} for a command that only reads it: a SQLite database that does
   * not exist yet is not created (nor its directory), since there is nothing in it to read.
   *
   * @throws NoStoreException when the SQLite file is absent
   * @throws StoreException when the database cannot be opened
   */
  public static Store openExisting(String url, Path dataDir) {
    StoreUrl parsed = StoreUrl.parse(url, dataDir);
    if (parsed instanceof StoreUrl.Sqlite sqlite && !java.nio.file.Files.exists(sqlite.file())) {
      throw new NoStoreException(
          "no store at "
              + sqlite.display()
              + ": nothing has run with this data directory yet (give --data DIR or --store URL"
              + " of the node that ran it)");
    }
    return JdbcStore.open(parsed);
  }
}
