package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.PrivateFiles;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's data directory is 0700 and its embedded database 0600, whether the node made them or
 * found them world-readable from an earlier version (docs/security.md).
 */
class DataDirPermissionsTest {
  @TempDir Path dir;

  private static BallastConfig config(Path dataDir) {
    String yaml =
        """
        server: {port: 0}
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim}}
        groups: {default: {deployments: [sim]}}
        tenants: {team: {keys: ["%s"]}}
        """
            .formatted(ConfigLoader.hashKey("bk-perms"));
    BallastConfig config = ConfigLoader.parse("perms", yaml, Map.of());
    return config.withServer(config.server().withDataDir(dataDir));
  }

  @Test
  void aNewDataDirectoryAndDatabaseAreTheNodesUsersOnly() throws Exception {
    Path data = dir.resolve("fresh");
    try (Gateway ignored = Gateway.start(config(data))) {
      assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PrivateFiles.DIRECTORY);
      assertThat(Files.getPosixFilePermissions(data.resolve("ballast.db")))
          .isEqualTo(PrivateFiles.FILE);
      assertThat(Files.getPosixFilePermissions(data.resolve("spool")))
          .isEqualTo(PrivateFiles.DIRECTORY);
      Path wal = data.resolve("ballast.db-wal");
      if (Files.exists(wal)) {
        assertThat(Files.getPosixFilePermissions(wal)).isEqualTo(PrivateFiles.FILE);
      }
    }
  }

  @Test
  void aWorldReadableDataDirectoryAndDatabaseAreNarrowedAtStart() throws Exception {
    Path data = Files.createDirectory(dir.resolve("old"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Gateway ignored = Gateway.start(config(data))) {
      // The first start made the database; make it world-readable as an old version left it.
      Files.setPosixFilePermissions(
          data.resolve("ballast.db"), PosixFilePermissions.fromString("rw-r--r--"));
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try (Gateway ignored = Gateway.start(config(data))) {
      assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PrivateFiles.DIRECTORY);
      assertThat(Files.getPosixFilePermissions(data.resolve("ballast.db")))
          .isEqualTo(PrivateFiles.FILE);
    }
  }
}
