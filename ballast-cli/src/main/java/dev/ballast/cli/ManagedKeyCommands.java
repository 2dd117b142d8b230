package dev.ballast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast keys create|list|revoke}: managed keys of a running gateway, through its {@code
 * /v1/ballast/keys} API with an administrator's key (docs/security.md). A created key is printed
 * once; nothing can show it again.
 */
final class ManagedKeyCommands {
  private ManagedKeyCommands() {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a managed key for a tenant on a running gateway; prints it once.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--tenant", required = true, paramLabel = "T", description = "its tenant")
    String tenant;

    @Option(names = "--name", paramLabel = "LABEL", description = "a label")
    String name;

    @Option(names = "--admin", description = "an administrator key (its tenant is in admins:)")
    boolean admin;

    @Option(names = "--expires-in", paramLabel = "D", description = "30m, 12h, 90d...")
    String expiresIn;

    @Option(names = "--expires-at", paramLabel = "ISO", description = "an instant")
    String expiresAt;

    @Option(names = "--model", paramLabel = "GROUP", description = "a model group it may call")
    List<String> models;

    @Option(names = "--pipeline", paramLabel = "P", description = "a pipeline it may submit")
    List<String> pipelines;

    @Option(names = "--rpm", paramLabel = "N", description = "its own requests per minute")
    Integer rpm;

    @Option(names = "--tpm", paramLabel = "N", description = "its own tokens per minute")
    Integer tpm;

    @Option(names = "--budget", paramLabel = "USD", description = "its own budget")
    Double budget;

    @Mixin GatewayTarget target;
    @Spec CommandSpec spec;
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() {
      ObjectNode body = Json.mapper().createObjectNode();
      body.put("tenant", tenant);
      body.put("role", admin ? "admin" : "tenant");
      if (name != null) {
        body.put("name", name);
      }
      if (expiresIn != null) {
        body.put("expires_in", expiresIn);
      }
      if (expiresAt != null) {
        body.put("expires_at", expiresAt);
      }
      if (models != null) {
        models.forEach(body.putArray("models")::add);
      }
      if (pipelines != null) {
        pipelines.forEach(body.putArray("pipelines")::add);
      }
      ObjectNode limits = body.putObject("limits");
      if (rpm != null) {
        limits.put("requests_per_minute", rpm);
      }
      if (tpm != null) {
        limits.put("tokens_per_minute", tpm);
      }
      if (budget != null) {
        limits.put("budget_usd", budget);
      }
      JsonNode key = target.send(env, "POST", "/v1/ballast/keys", body);
      PrintWriter out = spec.commandLine().getOut();
      out.println("key:     " + key.path("key").asText() + "   (shown once: keep it now)");
      out.println("id:      " + key.path("id").asText());
      out.println(
          "tenant:  " + key.path("tenant").asText() + " (" + key.path("role").asText() + ")");
      out.println("expires: " + key.path("expires_at").asText("never"));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the managed keys of a running gateway (never the keys themselves).")
  static final class ListKeys implements Callable<Integer> {
    @Option(names = "--tenant", paramLabel = "T", description = "only this tenant's")
    String tenant;

    @Option(names = "--all", description = "revoked keys too")
    boolean all;

    @Mixin GatewayTarget target;
    @Spec CommandSpec spec;
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() {
      String query = "?include_revoked=" + all;
      if (tenant != null) {
        query += "&tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8);
      }
      JsonNode list = target.send(env, "GET", "/v1/ballast/keys" + query, null);
      PrintWriter out = spec.commandLine().getOut();
      String row = "%-24s %-12s %-6s %-8s %-11s %-20s %s%n";
      out.printf(row, "ID", "TENANT", "ROLE", "STATE", "HINT", "EXPIRES", "NAME");
      for (JsonNode k : list.path("data")) {
        out.printf(
            row,
            k.path("id").asText(),
            Text.trim(k.path("tenant").asText(), 12),
            k.path("role").asText(),
            k.path("state").asText(),
            k.path("hint").asText(),
            k.path("expires_at").isNull() ? "never" : Text.trim(k.path("expires_at").asText(), 20),
            k.path("name").isNull() ? "-" : k.path("name").asText());
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a managed key on a running gateway; every node refuses it soon after.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "the key's id (key_...)")
    String id;

    @Mixin GatewayTarget target;
    @Spec CommandSpec spec;
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() {
      JsonNode key =
          target.send(
              env,
              "DELETE",
              "/v1/ballast/keys/" + URLEncoder.encode(id, StandardCharsets.UTF_8),
              null);
      spec.commandLine()
          .getOut()
          .println(
              "revoked "
                  + key.path("id").asText()
                  + " ("
                  + key.path("tenant").asText()
                  + ") at "
                  + key.path("revoked_at").asText()
                  + "; other nodes refuse it within managed_keys.cache_ttl");
      return 0;
    }
  }
}
