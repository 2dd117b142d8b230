package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A hostile tenant against every endpoint, over real HTTP (docs/security.md): {@code acme} tries to
 * read, write and delete {@code globex}'s collections, runs, pipeline runs and statistics, to write
 * the shared collections it reads, to administer, and to use keys after their revocation or expiry;
 * {@code ops}, the administrator, may do what the table says. Run on SQLite and on PostgreSQL by
 * its subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenancyTest {
  static final String OPS = "bk-tenancy-ops";
  static final String ACME = "bk-tenancy-acme";
  static final String GLOBEX = "bk-tenancy-globex";
  private static final String DOC =
      "{\"documents\":[{\"id\":\"%s.md\",\"content_type\":\"text/markdown\",\"text\":\"# %s\\n\\n%s\"}]}";

  // Made and removed here: a @TempDir field is shared by the two subclasses when static, and not
  // yet injected at @BeforeAll when not.
  private Path dataDir;
  private Gateway gateway;
  private final HttpClient http = HttpClient.newHttpClient();

  /** The store URL of this backend. */
  abstract String storeUrl(Path dataDir);

  /** Drops what the backend made for this class; nothing by default. */
  void dropStore() throws Exception {}

  static String yaml(String storeUrl) {
    return """
        server: {port: 0}
        store: {url: "%s"}
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim, price: {input: 1, output: 1}}}
        groups:
          default: {deployments: [sim]}
          premium: {deployments: [sim]}
        admins: [ops]
        tenants:
          ops: {keys: ["%s"]}
          acme: {keys: ["%s"]}
          globex: {keys: ["%s"]}
        managed_keys: {cache_ttl: 1s}
        workers: {concurrency: 2, poll: 50ms}
        collections:
          handbook: {embedding: default}
          board: {embedding: default, readers: []}
          acme-kb: {embedding: default, owner: acme}
          globex-kb: {embedding: default, owner: globex}
        prompts:
          say: {user: "{{input.text}}"}
        pipelines:
          echo:
            stages:
              - {name: say, type: generate, group: default, prompt: say}
          note:
            stages:
              - name: remember
                type: memory_update
                conversation: "{{input.conversation_id}}"
                append: [{role: user, content: "{{input.text}}"}]
          acme-ask:
            tenants: [acme]
            stages:
              - {name: find, type: retrieve, collection: acme-kb, query: "{{input.text}}", k: 2}
        """
        .formatted(
            storeUrl,
            ConfigLoader.hashKey(OPS),
            ConfigLoader.hashKey(ACME),
            ConfigLoader.hashKey(GLOBEX));
  }

  @BeforeAll
  void start() throws IOException {
    dataDir = Files.createTempDirectory("ballast-tenancy-");
    BallastConfig config = ConfigLoader.parse("tenancy", yaml(storeUrl(dataDir)), Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
    // The owners write their own collections, the administrator the shared ones.
    assertThat(ingest("handbook", OPS, "rules").statusCode()).isEqualTo(200);
    assertThat(ingest("board", OPS, "salaries").statusCode()).isEqualTo(200);
    assertThat(ingest("acme-kb", ACME, "acme-plans").statusCode()).isEqualTo(200);
    assertThat(ingest("globex-kb", GLOBEX, "globex-plans").statusCode()).isEqualTo(200);
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    dropStore();
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- collections ---------------------------------------------------------------------

  @Test
  void aTenantCannotAddToOrRemoveFromASharedCollectionItReads() {
    long before = generation("handbook", OPS);
    HttpResponse<String> add = ingest("handbook", ACME, "poison");
    HttpResponse<String> remove =
        send("POST", "/v1/collections/handbook/documents", ACME, "{\"remove\":[\"rules.md\"]}");

    assertError(add, 403, "collection_read_only");
    assertError(remove, 403, "collection_read_only");
    assertThat(generation("handbook", OPS)).isEqualTo(before);
    assertThat(search("handbook", ACME, "rules").statusCode()).isEqualTo(200);
  }

  @Test
  void anotherTenantsCollectionIsAnsweredAsIfItDidNotExist() {
    assertError(ingest("globex-kb", ACME, "poison"), 404, "collection_not_found");
    assertError(
        send(
            "POST",
            "/v1/collections/globex-kb/documents",
            ACME,
            "{\"remove\":[\"globex-plans.md\"]}"),
        404,
        "collection_not_found");
    assertError(search("globex-kb", ACME, "plans"), 404, "collection_not_found");
    assertError(
        send("GET", "/v1/collections/globex-kb/generations", ACME, null),
        404,
        "collection_not_found");
    assertThat(names(json(send("GET", "/v1/collections", ACME, null)), "name"))
        .containsExactlyInAnyOrder("handbook", "acme-kb");
    assertThat(search("globex-kb", GLOBEX, "plans").statusCode()).isEqualTo(200);
  }

  @Test
  void aSharedCollectionReadsOnlyForTheTenantsItNames() {
    assertError(search("board", ACME, "salaries"), 404, "collection_not_found");
    assertThat(search("board", OPS, "salaries").statusCode()).isEqualTo(200);
  }

  @Test
  void anAdministratorReadsAndWritesEveryCollection() {
    assertThat(names(json(send("GET", "/v1/collections", OPS, null)), "name"))
        .containsExactlyInAnyOrder("handbook", "board", "acme-kb", "globex-kb");
    assertThat(search("globex-kb", OPS, "plans").statusCode()).isEqualTo(200);
    assertThat(ingest("acme-kb", OPS, "audit-note").statusCode()).isEqualTo(200);
  }

  // ---- runs ------------------------------------------------------------------------------

  @Test
  void aTenantCannotReadAnotherTenantsRunsTracesDiffsOrReplays() {
    String theirs = chat(GLOBEX, "default");
    String mine = chat(ACME, "default");

    assertError(send("GET", "/v1/ballast/runs/" + theirs, ACME, null), 404, "run_not_found");
    assertError(
        send("GET", "/v1/ballast/runs/" + theirs + "/trace", ACME, null), 404, "run_not_found");
    assertError(
        send("GET", "/v1/ballast/diff?a=" + mine + "&b=" + theirs, ACME, null),
        404,
        "run_not_found");
    assertError(
        send("POST", "/v1/ballast/runs/" + theirs + "/replay", ACME, "{}"), 404, "run_not_found");
    assertError(
        send("GET", "/v1/ballast/runs?tenant=globex", ACME, null), 403, "tenant_not_allowed");
    assertError(
        send("GET", "/v1/ballast/stats?tenant=globex", ACME, null), 403, "tenant_not_allowed");
    assertError(
        send("GET", "/v1/ballast/stats/pipelines?tenant=globex", ACME, null),
        403,
        "tenant_not_allowed");
    assertThat(names(json(send("GET", "/v1/ballast/runs?limit=1000", ACME, null)), "id"))
        .contains(mine)
        .doesNotContain(theirs);
  }

  @Test
  void anAdministratorReadsEveryTenantsRunsButReplaysOnlyItsOwn() {
    String theirs = chat(GLOBEX, "default");

    assertThat(send("GET", "/v1/ballast/runs/" + theirs, OPS, null).statusCode()).isEqualTo(200);
    assertThat(
            names(json(send("GET", "/v1/ballast/runs?tenant=globex&limit=1000", OPS, null)), "id"))
        .contains(theirs);
    assertError(
        send("POST", "/v1/ballast/runs/" + theirs + "/replay", OPS, "{}"), 404, "run_not_found");
  }

  @Test
  void aTenantCannotReadOrResumeAnotherTenantsPipelineRuns() {
    String run = submit(ACME, "echo");

    assertError(send("GET", "/v1/pipelines/runs/" + run, GLOBEX, null), 404, "run_not_found");
    assertError(
        send("POST", "/v1/pipelines/runs/" + run + "/resume", GLOBEX, ""), 404, "run_not_found");
    assertError(
        send("GET", "/v1/pipelines/runs?tenant=acme", GLOBEX, null), 403, "tenant_not_allowed");
    assertThat(names(json(send("GET", "/v1/pipelines/runs?limit=1000", GLOBEX, null)), "id"))
        .doesNotContain(run);
    // The administrator finds it, and may resume it once it is dead (it is not: 409, not 404).
    assertThat(send("GET", "/v1/pipelines/runs/" + run, OPS, null).statusCode()).isEqualTo(200);
    assertError(send("POST", "/v1/pipelines/runs/" + run + "/resume", OPS, ""), 409, "not_dead");
    assertThat(
            names(json(send("GET", "/v1/pipelines/runs?tenant=acme&limit=1000", OPS, null)), "id"))
        .contains(run);
  }

  @Test
  void aPipelineOfAnotherTenantCannotBeSubmittedOrSeen() {
    assertError(
        send("POST", "/v1/pipelines/acme-ask/runs", GLOBEX, "{\"input\":{\"text\":\"plans\"}}"),
        403,
        "pipeline_not_allowed");
    assertThat(names(json(send("GET", "/v1/pipelines", GLOBEX, null)), "name"))
        .containsExactlyInAnyOrder("echo", "note");
    assertThat(names(json(send("GET", "/v1/pipelines", ACME, null)), "name"))
        .containsExactlyInAnyOrder("echo", "note", "acme-ask");
    String run = submit(ACME, "acme-ask");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> json(send("GET", "/v1/pipelines/runs/" + run, ACME, null)).path("state").asText(),
            "succeeded"::equals);
  }

  @Test
  void aConversationIdNamesEachTenantsOwnMemory() {
    HttpResponse<String> r =
        send(
            "POST",
            "/v1/pipelines/note/runs",
            ACME,
            "{\"input\":{\"conversation_id\":\"same-id\",\"text\":\"acme's secret plan\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String run = json(r).path("id").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> json(send("GET", "/v1/pipelines/runs/" + run, ACME, null)).path("state").asText(),
            "succeeded"::equals);

    assertThat(send("GET", "/v1/conversations/same-id/memory", ACME, null).body())
        .contains("acme's secret plan");
    for (String other : new String[] {GLOBEX, OPS}) {
      HttpResponse<String> theirs = send("GET", "/v1/conversations/same-id/memory", other, null);
      assertThat(theirs.statusCode()).isEqualTo(200);
      assertThat(theirs.body()).doesNotContain("secret plan");
      assertThat(json(theirs).path("latest_version").asLong()).isZero();
    }
  }

  // ---- status ----------------------------------------------------------------------------

  @Test
  void statusShowsATenantItsOwnCountersAndAnAdministratorTheNode() {
    submit(GLOBEX, "echo");
    JsonNode tenant = json(send("GET", "/v1/ballast/status", ACME, null));
    JsonNode node = json(send("GET", "/v1/ballast/status", OPS, null));

    assertThat(tenant.path("scope").asText()).isEqualTo("tenant");
    assertThat(tenant.path("tenant").asText()).isEqualTo("acme");
    assertThat(tenant.has("deployments")).isFalse();
    assertThat(tenant.has("journal")).isFalse();
    assertThat(tenant.path("pipelines").has("node_id")).isFalse();
    assertThat(tenant.at("/pipelines/queue").has("queued")).isTrue();
    assertThat(node.path("scope").asText()).isEqualTo("node");
    assertThat(node.path("deployments").has("sim")).isTrue();
    assertThat(node.at("/pipelines/node_id").asText()).isNotBlank();
  }

  // ---- keys ------------------------------------------------------------------------------

  @Test
  void aTenantKeyCannotManageKeys() {
    assertError(
        send("POST", "/v1/ballast/keys", ACME, "{\"tenant\":\"acme\"}"), 403, "admin_required");
    assertError(send("GET", "/v1/ballast/keys", ACME, null), 403, "admin_required");
    String id = json(createKey("{\"tenant\":\"globex\"}")).path("id").asText();
    assertError(send("DELETE", "/v1/ballast/keys/" + id, ACME, null), 403, "admin_required");
  }

  @Test
  void aManagedKeyWorksUntilItIsRevokedAndNeverAfter() {
    HttpResponse<String> created = createKey("{\"tenant\":\"acme\",\"name\":\"ci\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String key = json(created).path("key").asText();
    String id = json(created).path("id").asText();
    assertThat(key).startsWith("bk-");

    JsonNode who = json(send("GET", "/v1/ballast/whoami", key, null));
    assertThat(who.path("tenant").asText()).isEqualTo("acme");
    assertThat(who.path("role").asText()).isEqualTo("tenant");
    assertThat(who.path("key_id").asText()).isEqualTo(id);
    assertThat(chatStatus(key, "default")).isEqualTo(200);
    String listed = send("GET", "/v1/ballast/keys?tenant=acme", OPS, null).body();
    assertThat(listed).contains(id).doesNotContain(key);

    JsonNode revoked = json(send("DELETE", "/v1/ballast/keys/" + id, OPS, null));
    assertThat(revoked.path("state").asText()).isEqualTo("revoked");
    assertError(send("GET", "/v1/ballast/whoami", key, null), 401, "invalid_api_key");
    assertThat(chatStatus(key, "default")).isEqualTo(401);
    JsonNode again = json(send("DELETE", "/v1/ballast/keys/" + id, OPS, null));
    assertThat(again.path("revoked_at").asText()).isEqualTo(revoked.path("revoked_at").asText());
    assertError(send("DELETE", "/v1/ballast/keys/key_nope", OPS, null), 404, "key_not_found");
  }

  @Test
  void anExpiredKeyIsRefused() {
    String expiry = Instant.now().plusSeconds(5).toString();
    String key =
        json(createKey("{\"tenant\":\"acme\",\"expires_at\":\"" + expiry + "\"}"))
            .path("key")
            .asText();
    assertThat(send("GET", "/v1/ballast/whoami", key, null).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertError(send("GET", "/v1/ballast/whoami", key, null), 401, "expired_api_key"));
    assertError(
        createKey("{\"tenant\":\"acme\",\"expires_at\":\"2001-01-01T00:00:00Z\"}"),
        400,
        "invalid_value");
  }

  @Test
  void aManagedKeyCallsOnlyTheModelsAndPipelinesItLists() {
    String key =
        json(createKey("{\"tenant\":\"acme\",\"models\":[\"default\"],\"pipelines\":[\"echo\"]}"))
            .path("key")
            .asText();

    assertThat(chatStatus(key, "default")).isEqualTo(200);
    assertError(
        send("POST", "/v1/chat/completions", key, TestGateway.chat("premium", false)),
        403,
        "model_not_allowed");
    assertError(
        send("POST", "/v1/embeddings", key, "{\"model\":\"premium\",\"input\":\"x\"}"),
        403,
        "model_not_allowed");
    HttpResponse<String> messages =
        send(
            "POST",
            "/v1/messages",
            key,
            "{\"model\":\"premium\",\"max_tokens\":8,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(messages.statusCode()).isEqualTo(403);
    assertThat(messages.body()).contains("may not call model 'premium'");
    assertThat(names(json(send("GET", "/v1/models", key, null)), "id")).containsExactly("default");
    assertError(
        send("POST", "/v1/pipelines/acme-ask/runs", key, "{\"input\":{\"text\":\"x\"}}"),
        403,
        "pipeline_not_allowed");
    assertThat(submit(key, "echo")).startsWith("prun_");
    // A what-if replay calls models live: only with the groups the key may call.
    String own = chat(ACME, "premium");
    assertError(
        send("POST", "/v1/ballast/runs/" + own + "/replay", key, "{}"), 403, "model_not_allowed");
    String allowed = chat(ACME, "default");
    assertError(
        send("POST", "/v1/ballast/runs/" + allowed + "/replay", key, "{\"group\":\"premium\"}"),
        403,
        "model_not_allowed");
    assertThat(send("POST", "/v1/ballast/runs/" + allowed + "/replay", key, "{}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void aManagedKeysOwnLimitsHoldOnTopOfItsTenants() {
    // acme itself has no limits: only the key's own requests per minute can refuse the third call.
    String key =
        json(createKey("{\"tenant\":\"acme\",\"limits\":{\"requests_per_minute\":2}}"))
            .path("key")
            .asText();
    assertThat(chatStatus(key, "default")).isEqualTo(200);
    assertThat(
            send("POST", "/v1/embeddings", key, "{\"model\":\"default\",\"input\":\"x\"}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> third =
        send("POST", "/v1/chat/completions", key, TestGateway.chat("default", false));
    assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
    assertThat(third.body()).contains("exceeded its own limit of 2 requests per minute");
    assertThat(third.headers().firstValue("retry-after")).isPresent();
    // The tenant's other keys are not held by one key's limits.
    assertThat(chatStatus(ACME, "default")).isEqualTo(200);

    String spent =
        json(createKey("{\"tenant\":\"acme\",\"limits\":{\"budget_usd\":0.000001}}"))
            .path("key")
            .asText();
    HttpResponse<String> refused =
        send("POST", "/v1/chat/completions", spent, TestGateway.chat("default", false));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);
    assertThat(refused.body()).contains("its own budget");
  }

  @Test
  void onlyATenantListedInAdminsCanHoldAnAdministratorKey() {
    assertError(createKey("{\"tenant\":\"acme\",\"role\":\"admin\"}"), 400, "invalid_value");
    String admin = json(createKey("{\"tenant\":\"ops\",\"role\":\"admin\"}")).path("key").asText();
    String plain = json(createKey("{\"tenant\":\"ops\"}")).path("key").asText();

    assertThat(send("GET", "/v1/ballast/keys", admin, null).statusCode()).isEqualTo(200);
    assertError(send("GET", "/v1/ballast/keys", plain, null), 403, "admin_required");
    assertError(
        send("GET", "/v1/ballast/runs?tenant=acme", plain, null), 403, "tenant_not_allowed");
  }

  @Test
  void aKeyRequestNamingWhatIsNotConfiguredIsA400NamingTheField() {
    assertError(createKey("{\"tenant\":\"initech\"}"), 400, "invalid_value", "tenant");
    assertError(
        createKey("{\"tenant\":\"acme\",\"models\":[\"gpt-9\"]}"),
        400,
        "invalid_value",
        "models[0]");
    assertError(
        createKey("{\"tenant\":\"acme\",\"limits\":{\"budget_usd\":-1}}"),
        400,
        "invalid_value",
        "limits.budget_usd");
    assertError(createKey("{\"tenant\":\"acme\",\"colour\":1}"), 400, "invalid_value", "colour");
  }

  @Test
  void everyEndpointRefusesAMissingOrUnknownKey() {
    for (String[] endpoint :
        List.of(
            new String[] {"GET", "/v1/ballast/keys"},
            new String[] {"POST", "/v1/ballast/keys"},
            new String[] {"DELETE", "/v1/ballast/keys/key_x"},
            new String[] {"GET", "/v1/ballast/status"},
            new String[] {"GET", "/v1/collections"},
            new String[] {"POST", "/v1/collections/handbook/documents"},
            new String[] {"GET", "/v1/pipelines"},
            new String[] {"GET", "/v1/ballast/runs"})) {
      assertThat(send(endpoint[0], endpoint[1], null, "{}").statusCode())
          .as(endpoint[0] + " " + endpoint[1])
          .isEqualTo(401);
      assertError(send(endpoint[0], endpoint[1], "bk-guessed", "{}"), 401, "invalid_api_key");
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  private HttpResponse<String> createKey(String body) {
    return send("POST", "/v1/ballast/keys", OPS, body);
  }

  private HttpResponse<String> ingest(String collection, String key, String doc) {
    return send(
        "POST",
        "/v1/collections/" + collection + "/documents",
        key,
        DOC.formatted(doc, doc, "about " + doc));
  }

  private HttpResponse<String> search(String collection, String key, String query) {
    return send(
        "POST", "/v1/collections/" + collection + "/search", key, "{\"query\":\"" + query + "\"}");
  }

  private long generation(String collection, String key) {
    for (JsonNode c : json(send("GET", "/v1/collections", key, null)).path("data")) {
      if (c.path("name").asText().equals(collection)) {
        return c.path("generation").asLong();
      }
    }
    throw new AssertionError("no collection " + collection);
  }

  private String chat(String key, String model) {
    HttpResponse<String> r =
        send("POST", "/v1/chat/completions", key, TestGateway.chat(model, false));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String run = r.headers().firstValue("x-ballast-run-id").orElseThrow();
    // Journaled before anyone asks for it.
    gateway.journal().flush(Duration.ofSeconds(5));
    return run;
  }

  private int chatStatus(String key, String model) {
    return send("POST", "/v1/chat/completions", key, TestGateway.chat(model, false)).statusCode();
  }

  private String submit(String key, String pipeline) {
    HttpResponse<String> r =
        send("POST", "/v1/pipelines/" + pipeline + "/runs", key, "{\"input\":{\"text\":\"hi\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).path("id").asText();
  }

  private HttpResponse<String> send(String method, String path, String key, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("authorization", "Bearer " + key);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    return TestGateway.json(response.body());
  }

  /** {@code field} of each element of {@code data}, not of what those elements contain. */
  static List<String> names(JsonNode list, String field) {
    List<String> names = new java.util.ArrayList<>();
    list.path("data").forEach(e -> names.add(e.path(field).asText()));
    return names;
  }

  static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).at("/error/code").asText()).as(r.body()).isEqualTo(code);
  }

  static void assertError(HttpResponse<String> r, int status, String code, String param) {
    assertError(r, status, code);
    assertThat(json(r).at("/error/param").asText()).as(r.body()).isEqualTo(param);
  }
}
