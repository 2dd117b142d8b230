package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by every command that needs the configuration: file, data dir, store. */
final class NodeOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "ballast.yaml to load (default: built-in offline configuration)")
  Path config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "data directory, overriding server.data_dir (default: ballast-data)")
  Path data;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description = "store URL, overriding store.url (sqlite: or postgresql://...)")
  String store;

  /**
   * The effective configuration. Without a file, the built-in default is used and the development
   * key is created on first use.
   */
  BallastConfig load(java.io.PrintWriter out) {
    return load(out, true);
  }

  /**
   * The effective configuration for a command that only reads (runs, replay, diff, memory): without
   * a file no development key is created, since such a command authenticates nobody and must leave
   * the data directory as it found it.
   */
  BallastConfig loadReadOnly(java.io.PrintWriter out) {
    return load(out, false);
  }

  private BallastConfig load(java.io.PrintWriter out, boolean createKey) {
    BallastConfig result;
    if (config == null) {
      Path dataDir = data == null ? Path.of("ballast-data") : data;
      String keyHash = createKey ? DevKey.ensure(dataDir, out) : DevKey.existingHash(dataDir);
      result = ConfigLoader.defaults(System.getenv(), dataDir, keyHash);
    } else {
      result = ConfigLoader.load(config, System.getenv());
    }
    if (data != null) {
      result = result.withServer(result.server().withDataDir(data));
    }
    if (store != null) {
      result = result.withStoreUrl(store);
    }
    return result;
  }
}
