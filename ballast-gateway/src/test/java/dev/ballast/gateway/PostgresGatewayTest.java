package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.RunStatus;
import dev.ballast.testkit.Postgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway on the scale-out store: runs are journaled into PostgreSQL. */
class PostgresGatewayTest {
  @TempDir Path dataDir;

  @Test
  void journalsGatewayRunsIntoPostgres() throws Exception {
    String base = Postgres.requireAvailable();
    String schema =
        "ballast_gw_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    try (TestGateway gw = new TestGateway(dataDir, base + "&schema=" + schema)) {
      HttpResponse<String> response =
          gw.post("/v1/chat/completions", KEY, TestGateway.chat("failover", false));

      assertThat(response.statusCode()).isEqualTo(200);
      String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
      assertThat(gw.gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
      assertThat(gw.gateway.store().backend()).isEqualTo("postgresql");
      // RunStarted, the failed attempt (failed over at once), the answer, RunCompleted.
      assertThat(gw.gateway.store().journal().events(runId)).hasSize(4);
      assertThat(gw.gateway.store().journal().findRun(runId).orElseThrow().status())
          .isEqualTo(RunStatus.SUCCEEDED);
    } finally {
      Postgres.dropSchema(base, schema);
    }
  }
}
