package dev.ballast.console.internal;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the console's files from the classpath: the pages under {@code dev/ballast/console/ui/}
 * and uPlot from its webjar under {@code vendor/uplot/}. Only names made of safe characters without
 * {@code ..} are looked up, so no request reaches outside those two roots. Files are read once and
 * kept (they are part of the jar and never change while it runs), with an ETag so a browser
 * revalidates instead of downloading again.
 *
 * <p>Every response carries a Content-Security-Policy that allows nothing from another origin: the
 * console works offline, and an injected script could not phone home. Thread-safe.
 */
public final class StaticAssets {
  /** The uPlot webjar's version; a test checks that its files are on the classpath. */
  public static final String UPLOT_VERSION = "1.6.30";

  private static final String UI_ROOT = "dev/ballast/console/ui/";
  private static final String VENDOR_PREFIX = "vendor/uplot/";
  private static final String UPLOT_ROOT =
      "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_\\-./]{1,200}");
  private static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "json", "application/json");

  private final ClassLoader loader;
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  private record Asset(byte[] bytes, String type, String etag) {}

  private StaticAssets(ClassLoader loader) {
    this.loader = loader;
  }

  public static StaticAssets console() {
    return new StaticAssets(StaticAssets.class.getClassLoader());
  }

  /** Sends the file at {@code path} (relative to {@code /ui/}), or a 404 in words. */
  public void serve(String path, ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.create("Content-Security-Policy"), CSP);
    res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
    res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
    Optional<Asset> asset = find(path);
    if (asset.isEmpty()) {
      res.status(Status.NOT_FOUND_404);
      res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      res.send(
          ("The console has no file /ui/" + path + ". Open /ui/ to start.")
              .getBytes(StandardCharsets.UTF_8));
      return;
    }
    Asset a = asset.get();
    res.header(HeaderNames.ETAG, a.etag());
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    if (req.headers().first(HeaderNames.IF_NONE_MATCH).filter(a.etag()::equals).isPresent()) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, a.type());
    res.send(a.bytes());
  }

  /** The file's bytes, when {@code path} names one the console serves. */
  public Optional<byte[]> bytes(String path) {
    return find(path).map(Asset::bytes);
  }

  private Optional<Asset> find(String path) {
    if (path == null || !SAFE.matcher(path).matches() || path.contains("..")) {
      return Optional.empty();
    }
    // Only files found are kept: names that are not files cannot fill the cache.
    Optional<Asset> cached = cache.get(path);
    if (cached != null) {
      return cached;
    }
    Optional<Asset> loaded = load(path);
    loaded.ifPresent(a -> cache.put(path, Optional.of(a)));
    return loaded;
  }

  private Optional<Asset> load(String path) {
    String resource =
        path.startsWith(VENDOR_PREFIX)
            ? UPLOT_ROOT + path.substring(VENDOR_PREFIX.length())
            : UI_ROOT + path;
    int dot = path.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1));
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      return Optional.of(new Asset(bytes, type, etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource + " from the console jar", e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
