package dev.ballast.pipeline.crash;

import dev.ballast.testkit.Postgres;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The crash test on PostgreSQL, in a fresh schema; it fails rather than skips under {@code CI=true}
 * when PostgreSQL is missing.
 */
class PostgresCrashTest extends CrashContract {
  @Override
  protected CrashBackend backend(Path dir) {
    String jdbcUrl = Postgres.requireAvailable();
    String schema =
        "ballast_crash_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    return new CrashBackend.Postgres(jdbcUrl, schema);
  }
}
