package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.TenantLimits;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.JsonFields;
import dev.ballast.gateway.internal.wire.OpenAiRequestReader;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /v1/ballast/keys}, refusing with a 400 that names the field
 * anything that is not a configured tenant, group or pipeline, an expiry in the past, or a limit
 * that is not a number of zero or more.
 */
final class KeyRequests {
  static final Set<String> FIELDS =
      Set.of("tenant", "name", "role", "expires_at", "expires_in", "models", "pipelines", "limits");
  private static final Set<String> LIMIT_FIELDS =
      Set.of("requests_per_minute", "tokens_per_minute", "budget_usd");
  private static final int MAX_NAME = 200;
  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([mhd])");

  /** What a new key is asked to be; the secret, id and times are the API's to make. */
  record NewKey(
      String tenant,
      String name,
      boolean admin,
      Instant expiresAt,
      List<String> models,
      List<String> pipelines,
      TenantLimits limits) {}

  private final Set<String> groups;
  private final Set<String> pipelines;

  KeyRequests(Set<String> groups, Set<String> pipelines) {
    this.groups = Set.copyOf(groups);
    this.pipelines = Set.copyOf(pipelines);
  }

  NewKey read(JsonNode body, Tenants tenants, Set<String> admins, Instant now) {
    OpenAiRequestReader.requireObject(body);
    body.fieldNames()
        .forEachRemaining(
            f -> {
              if (!FIELDS.contains(f)) {
                throw ApiError.invalid(
                    f, "Unrecognized argument '" + f + "'. Expected " + new TreeSet<>(FIELDS));
              }
            });
    String tenant = JsonFields.string(body, "tenant", "tenant", true);
    if (tenants.named(tenant).isEmpty()) {
      throw ApiError.invalid("tenant", "No tenant '" + tenant + "' is configured.");
    }
    String role = JsonFields.string(body, "role", "role", false);
    if (role != null && !role.equals("admin") && !role.equals("tenant")) {
      throw ApiError.invalid("role", "Invalid 'role': expected admin or tenant.");
    }
    boolean admin = "admin".equals(role);
    if (admin && !admins.contains(tenant)) {
      throw ApiError.invalid(
          "role",
          "Only a key of a tenant listed in admins: can be an administrator's; '"
              + tenant
              + "' is not listed.");
    }
    String name = JsonFields.string(body, "name", "name", false);
    if (name != null && name.length() > MAX_NAME) {
      throw ApiError.invalid("name", "A key's name is at most " + MAX_NAME + " characters.");
    }
    return new NewKey(
        tenant,
        name,
        admin,
        expiry(body, now),
        names(body, "models", groups),
        names(body, "pipelines", pipelines),
        limits(body.get("limits")));
  }

  private static Instant expiry(JsonNode body, Instant now) {
    String at = JsonFields.string(body, "expires_at", "expires_at", false);
    String in = JsonFields.string(body, "expires_in", "expires_in", false);
    if (at != null && in != null) {
      throw ApiError.invalid("expires_in", "Give 'expires_at' or 'expires_in', not both.");
    }
    Instant expiry = null;
    if (at != null) {
      try {
        expiry = Instant.parse(at);
      } catch (DateTimeParseException e) {
        throw ApiError.invalid(
            "expires_at", "Invalid 'expires_at': expected an instant like 2027-01-31T00:00:00Z.");
      }
    } else if (in != null) {
      Matcher m = DURATION.matcher(in.trim());
      if (!m.matches()) {
        throw ApiError.invalid(
            "expires_in", "Invalid 'expires_in': expected a duration like 30m, 12h or 90d.");
      }
      long n = Long.parseLong(m.group(1));
      expiry =
          now.plus(
              switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
    }
    if (expiry != null && !expiry.isAfter(now)) {
      throw ApiError.invalid("expires_at", "The expiry must be in the future.");
    }
    return expiry;
  }

  /** A list of configured names, or null (every one) when the field is absent. */
  private static List<String> names(JsonNode body, String field, Set<String> known) {
    JsonNode list = body.get(field);
    if (list == null || list.isNull()) {
      return null;
    }
    if (!list.isArray()) {
      throw ApiError.wrongType(field, "an array of names");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = field + "[" + i + "]";
      if (!list.get(i).isTextual()) {
        throw ApiError.wrongType(path, "a string");
      }
      String name = list.get(i).asText();
      if (!known.contains(name)) {
        throw ApiError.invalid(
            path,
            "No " + field + " entry '" + name + "' is configured; known: " + new TreeSet<>(known));
      }
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private static TenantLimits limits(JsonNode node) {
    if (node == null || node.isNull()) {
      return TenantLimits.UNLIMITED;
    }
    if (!node.isObject()) {
      throw ApiError.wrongType("limits", "an object");
    }
    node.fieldNames()
        .forEachRemaining(
            f -> {
              if (!LIMIT_FIELDS.contains(f)) {
                throw ApiError.invalid(
                    "limits." + f,
                    "Unrecognized limit '" + f + "'. Expected " + new TreeSet<>(LIMIT_FIELDS));
              }
            });
    return TenantLimits.of(
        (int) whole(node, "requests_per_minute", 10_000_000),
        (int) whole(node, "tokens_per_minute", 2_000_000_000),
        amount(node, "budget_usd"));
  }

  private static long whole(JsonNode limits, String field, long max) {
    JsonNode n = limits.get(field);
    if (n == null || n.isNull()) {
      return 0;
    }
    if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > max) {
      throw ApiError.invalid(
          "limits." + field, "Invalid 'limits." + field + "': expected a whole number 0.." + max);
    }
    return n.asLong();
  }

  private static double amount(JsonNode limits, String field) {
    JsonNode n = limits.get(field);
    if (n == null || n.isNull()) {
      return 0;
    }
    if (!n.isNumber() || n.asDouble() < 0 || !Double.isFinite(n.asDouble())) {
      throw ApiError.invalid(
          "limits." + field, "Invalid 'limits." + field + "': expected a number of 0 or more.");
    }
    return n.asDouble();
  }
}
