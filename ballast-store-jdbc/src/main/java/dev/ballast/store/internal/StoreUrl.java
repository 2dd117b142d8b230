package dev.ballast.store.internal;

import dev.ballast.store.InvalidStoreUrlException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A parsed store URL: where the database is and which dialect speaks to it. */
public sealed interface StoreUrl {

  /** The URL for messages and logs, never with a password. */
  String display();

  record Sqlite(Path file) implements StoreUrl {
    @Override
    public String display() {
      return "sqlite:" + file;
    }
  }

  /**
   * @param jdbcUrl the driver URL, without Ballast's own {@code schema} parameter
   * @param schema the schema to keep the tables in, or null for the connection's default
   */
  record Postgres(String jdbcUrl, String schema, String display) implements StoreUrl {}

  Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  Pattern PASSWORD = Pattern.compile("(password=)[^&]*");

  static StoreUrl parse(String url, Path dataDir) {
    if (url == null || url.isBlank()) {
      throw new InvalidStoreUrlException(String.valueOf(url), "it is empty");
    }
    String bare = url.strip();
    bare = bare.startsWith("jdbc:") ? bare.substring("jdbc:".length()) : bare;
    if (bare.startsWith("sqlite:")) {
      return sqlite(url, bare.substring("sqlite:".length()), dataDir);
    }
    if (bare.startsWith("postgresql:") || bare.startsWith("postgres:")) {
      return postgres(mask(url), bare.substring(bare.indexOf(':') + 1));
    }
    throw new InvalidStoreUrlException(mask(url), "unknown scheme");
  }

  private static Sqlite sqlite(String url, String path, Path dataDir) {
    try {
      return new Sqlite(path.isEmpty() ? dataDir.resolve("ballast.db") : Path.of(path));
    } catch (InvalidPathException e) {
      throw new InvalidStoreUrlException(url, "'" + path + "' is not a valid file path");
    }
  }

  private static Postgres postgres(String masked, String rest) {
    URI uri;
    try {
      uri = new URI("postgresql:" + rest);
    } catch (URISyntaxException e) {
      throw new InvalidStoreUrlException(masked, e.getReason());
    }
    if (uri.getHost() == null) {
      throw new InvalidStoreUrlException(masked, "no host");
    }
    String path = uri.getRawPath();
    if (path == null || path.length() <= 1) {
      throw new InvalidStoreUrlException(masked, "no database name");
    }
    String schema = null;
    List<String> params = new ArrayList<>();
    for (String param : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
      if (param.startsWith("schema=")) {
        schema = param.substring("schema=".length());
      } else if (!param.isEmpty()) {
        params.add(param);
      }
    }
    if (schema != null && !SCHEMA.matcher(schema).matches()) {
      throw new InvalidStoreUrlException(
          masked, "schema '" + schema + "' must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
    }
    String query = params.isEmpty() ? "" : "?" + String.join("&", params);
    String jdbcUrl = "jdbc:postgresql://" + uri.getRawAuthority() + path + query;
    return new Postgres(jdbcUrl, schema, masked);
  }

  private static String mask(String url) {
    return PASSWORD.matcher(url).replaceAll("$1***");
  }
}
