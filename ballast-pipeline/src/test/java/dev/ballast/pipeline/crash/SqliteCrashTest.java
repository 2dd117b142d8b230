package dev.ballast.pipeline.crash;

import java.nio.file.Path;

/** The crash test on one SQLite file that every worker process opens (WAL mode). */
class SqliteCrashTest extends CrashContract {
  @Override
  protected CrashBackend backend(Path dir) {
    return new CrashBackend.Sqlite(dir.resolve("crash.db"));
  }
}
