package dev.ballast.cli;

import static dev.ballast.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.cli.CliRunner.Result;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.gateway.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ballast keys create|list|revoke} against a running gateway (docs/security.md). */
class KeysCliTest {
  private static final String ADMIN = "bk-cli-admin";
  private static final String TENANT = "bk-cli-tenant";

  @TempDir Path dir;
  private Gateway gateway;

  @BeforeEach
  void start() {
    String yaml =
        """
        server: {port: 0}
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim}}
        groups: {default: {deployments: [sim]}}
        admins: [ops]
        tenants:
          ops: {keys: ["%s"]}
          acme: {keys: ["%s"]}
        """
            .formatted(ConfigLoader.hashKey(ADMIN), ConfigLoader.hashKey(TENANT));
    BallastConfig config = ConfigLoader.parse("keys-cli", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dir)));
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private Result keys(String key, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "keys";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--url";
    all[args.length + 2] = gateway.baseUrl();
    all[args.length + 3] = "--key";
    all[args.length + 4] = key;
    return run(all);
  }

  private int whoami(String key) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/ballast/whoami"))
                  .header("authorization", "Bearer " + key)
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .statusCode();
    }
  }

  @Test
  void createPrintsTheKeyOnceListNeverAndRevokeEndsIt() throws Exception {
    Result created =
        keys(
            ADMIN,
            "create",
            "--tenant",
            "acme",
            "--name",
            "ci",
            "--expires-in",
            "30d",
            "--model",
            "default",
            "--rpm",
            "60");
    assertThat(created.exit()).as(created.err()).isZero();
    Matcher key = Pattern.compile("key:\\s+(bk-\\S+)").matcher(created.out());
    Matcher id = Pattern.compile("id:\\s+(key_\\S+)").matcher(created.out());
    assertThat(key.find()).isTrue();
    assertThat(id.find()).isTrue();
    assertThat(whoami(key.group(1))).isEqualTo(200);

    Result listed = keys(ADMIN, "list", "--tenant", "acme");
    assertThat(listed.exit()).isZero();
    assertThat(listed.out()).contains(id.group(1)).contains("ci").doesNotContain(key.group(1));

    Result revoked = keys(ADMIN, "revoke", id.group(1));
    assertThat(revoked.exit()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("revoked " + id.group(1));
    assertThat(whoami(key.group(1))).isEqualTo(401);
    assertThat(keys(ADMIN, "list").out()).doesNotContain(id.group(1));
    assertThat(keys(ADMIN, "list", "--all").out()).contains(id.group(1)).contains("revoked");
  }

  @Test
  void aTenantKeyIsRefusedWithTheGatewaysReason() {
    Result refused = keys(TENANT, "create", "--tenant", "acme");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("403").contains("administrator");
    Result unknown = keys(ADMIN, "revoke", "key_nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("404").contains("key_nope");
  }
}
