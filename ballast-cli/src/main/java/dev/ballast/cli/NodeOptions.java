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
    BallastConfig result;
    if (config == null) {
      Path dataDir = data == null ? Path.of("ballast-data") : data;
      String keyHash = DevKey.ensure(dataDir, out);
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
