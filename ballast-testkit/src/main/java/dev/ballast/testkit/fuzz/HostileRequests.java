package dev.ballast.testkit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of requests a gateway must survive: valid bodies with one field replaced by
 * something hostile, hostile JSON Schemas, broken encodings, abusive paths, queries and headers.
 * The same seed yields the same requests, so a failure found once is found again.
 */
final class HostileRequests {
  /** One request: method, path with query, headers as name/value pairs, body bytes (or null). */
  record Request(String kind, String method, String path, List<String> headers, byte[] body) {
    String describe() {
      String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
      return kind
          + " "
          + method
          + " "
          + abbreviate(path, 200)
          + " "
          + headers
          + " "
          + abbreviate(text, 300);
    }
  }

  private static final String[] HOSTILE_VALUES = {
    "null",
    "true",
    "-1",
    "0",
    "1e400",
    "-1e400",
    "123456789012345678901234567890",
    "1.5",
    "\"\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\udfff\\ud800\"",
    "\"" + "x".repeat(20_000) + "\"",
    "[]",
    "{}",
    "[[[[[[[[[[]]]]]]]]]]",
    "{\"a\":{\"b\":{\"c\":{}}}}",
    "\"<script>alert(1)</script>\"",
    "\"../../../../etc/passwd\"",
    "\"%s%s%s%n\"",
    "\"\\\"\"",
    "[1,\"a\",null,{},[]]",
    "\"🙂🙃\"",
  };

  private static final String[] HOSTILE_SCHEMAS = {
    "{\"$ref\":\"#\"}",
    "{\"$ref\":\"https://example.com/s.json\"}",
    "{\"$ref\":\"#/$defs/missing\"}",
    "{\"$dynamicRef\":\"#x\"}",
    "{\"$schema\":\"https://example.com/unknown\"}",
    "{\"type\":\"string\",\"pattern\":\"(\"}",
    "{\"allOf\":5}",
    "{\"type\":12}",
    "{\"enum\":[]}",
    "{\"maxLength\":-1}",
    "{\"not\":{\"not\":{\"$ref\":\"#\"}}}",
    "{\"$defs\":{\"a\":{\"anyOf\":[{\"$ref\":\"#/$defs/b\"}]},\"b\":{\"oneOf\":[{\"$ref\":\"#/$defs/a\"}]}},\"$ref\":\"#/$defs/a\"}",
    "{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#\"}}}",
    "{\"type\":\"object\",\"required\":[\"answer\"],\"properties\":{\"answer\":{\"type\":\"string\"}}}",
    "{\"items\":" + "{\"items\":".repeat(80) + "{}" + "}".repeat(81),
    "{\"type\":\"object\",\"patternProperties\":{\"[\":{}}}",
    "{\"if\":{\"$ref\":\"#\"},\"then\":{}}",
    "true",
    "false",
    "[]",
    "\"schema\"",
  };

  private final Random random;
  private final List<String> pipelines;
  private final List<String> collections;
  private final List<String> groups;

  HostileRequests(
      long seed, List<String> groups, List<String> pipelines, List<String> collections) {
    this.random = new Random(seed);
    this.groups = groups;
    this.pipelines = pipelines;
    this.collections = collections;
  }

  Request next() {
    return switch (random.nextInt(15)) {
      case 0, 1 -> mutated(chatBody(), "/v1/chat/completions", "chat");
      case 2 -> schemaChat();
      case 3 -> mutated(messagesBody(), "/v1/messages", "messages");
      case 4 -> mutated(embeddingsBody(), "/v1/embeddings", "embeddings");
      case 5 ->
          mutated(
              "{\"input\":{\"text\":\"hello\"}}",
              "/v1/pipelines/" + pick(pipelines) + "/runs",
              "pipeline");
      case 6 -> collectionRequest();
      case 7 -> brokenEncoding();
      case 8 -> abusivePath();
      case 9 -> abusiveQuery();
      case 10 -> abusiveHeaders();
      case 12 -> mutated(responsesBody(), "/v1/responses", "responses");
      case 13 -> mutated(completionsBody(), "/v1/completions", "completions");
      case 14 -> mutated(countTokensBody(), "/v1/messages/count_tokens", "count_tokens");
      default -> toolsChat();
    };
  }

  private String chatBody() {
    return "{\"model\":\""
        + pick(groups)
        + "\",\"stream\":"
        + random.nextBoolean()
        + ",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  private String messagesBody() {
    return "{\"model\":\""
        + pick(groups)
        + "\",\"max_tokens\":16,\"stream\":"
        + random.nextBoolean()
        + ",\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private String responsesBody() {
    return "{\"model\":\""
        + pick(groups)
        + "\",\"stream\":"
        + random.nextBoolean()
        + ",\"instructions\":\"be brief\",\"max_output_tokens\":16,\"input\":["
        + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]},"
        + "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"},"
        + "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"ok\"}],"
        + "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}],"
        + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"s\","
        + "\"schema\":{\"type\":\"object\"}}},\"store\":true,\"metadata\":{\"k\":\"v\"}}";
  }

  private String completionsBody() {
    return "{\"model\":\""
        + pick(groups)
        + "\",\"stream\":"
        + random.nextBoolean()
        + ",\"max_tokens\":16,\"prompt\":[\"hello\"],\"stop\":[\"\\n\"],\"n\":1}";
  }

  private String countTokensBody() {
    return "{\"model\":\""
        + pick(groups)
        + "\",\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private String embeddingsBody() {
    return "{\"model\":\"" + pick(groups) + "\",\"input\":[\"one\",\"two\"]}";
  }

  /** A valid body with one value, key or structure replaced by something hostile. */
  private Request mutated(String base, String path, String kind) {
    String body = base;
    int mutations = 1 + random.nextInt(2);
    for (int i = 0; i < mutations; i++) {
      body = mutate(body);
    }
    return post(kind, path, body);
  }

  private String mutate(String json) {
    return switch (random.nextInt(6)) {
      case 0 -> replaceAValue(json);
      case 1 -> json.substring(0, random.nextInt(Math.max(1, json.length()))); // truncated
      case 2 ->
          json.replaceFirst("\\{", "{\"extra_" + random.nextInt(100) + "\":" + hostile() + ",");
      case 3 -> "[" + json + "]";
      case 4 -> nest(json, 20 + random.nextInt(1_500));
      default -> replaceAValue(replaceAValue(json));
    };
  }

  private String replaceAValue(String json) {
    // Values after a colon: strings, numbers, booleans, arrays and objects are all fair game.
    int colon = nthIndexOf(json, ':', random.nextInt(Math.max(1, count(json, ':'))));
    if (colon < 0) {
      return json;
    }
    int end = valueEnd(json, colon + 1);
    return json.substring(0, colon + 1) + hostile() + json.substring(end);
  }

  private String hostile() {
    return HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)];
  }

  private Request schemaChat() {
    String schema = HOSTILE_SCHEMAS[random.nextInt(HOSTILE_SCHEMAS.length)];
    String body =
        "{\"model\":\""
            + pick(groups)
            + "\",\"stream\":"
            + random.nextBoolean()
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
            + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\","
            + "\"schema\":"
            + schema
            + "}}}";
    return post("schema", "/v1/chat/completions", body);
  }

  private Request toolsChat() {
    String schema = HOSTILE_SCHEMAS[random.nextInt(HOSTILE_SCHEMAS.length)];
    String name = random.nextBoolean() ? "" : random.nextBoolean() ? "get weather" : "lookup";
    boolean anthropic = random.nextBoolean();
    String body =
        anthropic
            ? "{\"model\":\""
                + pick(groups)
                + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"name\":\""
                + name
                + "\",\"input_schema\":"
                + schema
                + "}]}"
            : "{\"model\":\""
                + pick(groups)
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\""
                + name
                + "\",\"parameters\":"
                + schema
                + "}}]}";
    return post("tools", anthropic ? "/v1/messages" : "/v1/chat/completions", body);
  }

  private Request collectionRequest() {
    String collection = random.nextInt(4) == 0 ? "no-such-collection" : pick(collections);
    if (random.nextBoolean()) {
      String body =
          "{\"query\":"
              + (random.nextBoolean() ? "\"how do I resume\"" : hostile())
              + ",\"k\":"
              + (random.nextBoolean() ? "3" : hostile())
              + "}";
      return post("search", "/v1/collections/" + collection + "/search", body);
    }
    String body =
        "{\"documents\":[{\"id\":"
            + (random.nextBoolean() ? "\"doc-" + random.nextInt(5) + "\"" : hostile())
            + ",\"text\":"
            + (random.nextBoolean() ? "\"Resume a dead run with ballast runs resume.\"" : hostile())
            + "}]}";
    return post("ingest", "/v1/collections/" + collection + "/documents", body);
  }

  private Request brokenEncoding() {
    byte[][] bodies = {
      {(byte) 0xff, (byte) 0xfe, '{', '}'},
      {'{', '"', 'm', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'},
      "\uFEFF{\"model\":\"x\"}".getBytes(StandardCharsets.UTF_8),
      "{\"model\":\"a\"}{\"model\":\"b\"}".getBytes(StandardCharsets.UTF_8),
      "{\"model\":NaN}".getBytes(StandardCharsets.UTF_8),
      "{'model':'single quotes'}".getBytes(StandardCharsets.UTF_8),
      "{\"model\":\"x\",}".getBytes(StandardCharsets.UTF_8),
      new byte[0],
      "\u0000\u0000\u0000".getBytes(StandardCharsets.UTF_8),
    };
    String[] paths = {
      "/v1/chat/completions", "/v1/messages", "/v1/embeddings", "/v1/responses", "/v1/completions"
    };
    return new Request(
        "encoding",
        "POST",
        paths[random.nextInt(paths.length)],
        jsonHeaders(),
        bodies[random.nextInt(bodies.length)]);
  }

  private Request abusivePath() {
    String[] paths = {
      "/v1/ballast/runs/" + "x".repeat(4_000),
      "/v1/ballast/runs/%00",
      "/v1/ballast/runs/..%2F..%2Fetc%2Fpasswd",
      "/v1/pipelines/runs/%E2%98%83",
      "/v1/pipelines/%20/runs",
      "/v1/conversations/%00/memory",
      "/v1/collections/%2e%2e/search",
      "/v1//chat//completions",
      "/v1/ballast/runs/run_1/trace/extra/segments",
      "/V1/CHAT/COMPLETIONS",
      "/v1/pipelines/runs/prun_does_not_exist/resume",
      "/v1/ballast/runs/run_does_not_exist/replay",
    };
    String path = paths[random.nextInt(paths.length)];
    boolean post = path.endsWith("resume") || path.endsWith("replay") || path.endsWith("search");
    return post ? post("path", path, "{}") : get("path", path);
  }

  private Request abusiveQuery() {
    String[] queries = {
      "/v1/ballast/runs?since=-999999999-01-01T00:00:00Z",
      "/v1/ballast/runs?until=+999999999-12-31T23:59:59Z",
      "/v1/ballast/runs?limit=-5",
      "/v1/ballast/runs?limit=99999999999999999999",
      "/v1/ballast/runs?status=%00",
      "/v1/ballast/runs?status=running&status=failed",
      "/v1/ballast/runs?model=" + "m".repeat(2_000),
      "/v1/pipelines/runs?limit=abc&state=nope",
      "/v1/ballast/diff?a=run_x&b=",
      "/v1/ballast/diff",
      "/v1/conversations/c1/memory?version=-1",
      "/v1/conversations/c1/memory?version=99999999999999999999999",
      "/v1/models?x=%zz",
    };
    return get("query", queries[random.nextInt(queries.length)]);
  }

  private Request abusiveHeaders() {
    List<String> headers =
        switch (random.nextInt(7)) {
          case 0 -> List.of("Authorization", "Bearer " + "k".repeat(3_000));
          case 1 ->
              List.of("x-ballast-deadline-ms", pickOf("-1", "0", "1e20", "abc", "9999999999999"));
          case 2 -> List.of("x-ballast-priority", pickOf("urgent", "", "interactive,batch", "%00"));
          case 3 -> List.of("Idempotency-Key", pickOf("", "k".repeat(5_000), "ключ", "a b"));
          case 4 ->
              List.of(
                  "Content-Type", pickOf("text/plain", "application/xml", "x/y; charset=ebcdic"));
          case 5 ->
              List.of(
                  "traceparent",
                  pickOf(
                      "00-zz-zz-01",
                      "garbage",
                      "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01"));
          default -> List.of("x-api-key", pickOf("", "wrong", "\u00e9"));
        };
    Request base = post("headers", "/v1/chat/completions", chatBody());
    java.util.ArrayList<String> all = new java.util.ArrayList<>(base.headers());
    // A header the test replaces is dropped from the defaults first.
    for (int i = 0; i < all.size(); i += 2) {
      if (all.get(i).equalsIgnoreCase(headers.get(0))) {
        all.remove(i);
        all.remove(i);
        break;
      }
    }
    all.addAll(headers);
    return new Request("headers", "POST", base.path(), all, base.body());
  }

  private Request post(String kind, String path, String body) {
    return new Request(kind, "POST", path, jsonHeaders(), body.getBytes(StandardCharsets.UTF_8));
  }

  private Request get(String kind, String path) {
    return new Request(kind, "GET", path, List.of(), null);
  }

  private static List<String> jsonHeaders() {
    return List.of("Content-Type", "application/json");
  }

  private String pick(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }

  private String pickOf(String... options) {
    return options[random.nextInt(options.length)];
  }

  private static String nest(String json, int depth) {
    return "{\"n\":".repeat(depth) + json + "}".repeat(depth);
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }

  private static int nthIndexOf(String s, char c, int n) {
    int at = -1;
    for (int i = 0; i <= n; i++) {
      at = s.indexOf(c, at + 1);
      if (at < 0) {
        return -1;
      }
    }
    return at;
  }

  /** Where the JSON value starting at {@code from} ends (roughly: enough for mutation). */
  private static int valueEnd(String json, int from) {
    int depth = 0;
    boolean inString = false;
    for (int i = from; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
          if (depth == 0) {
            return i + 1;
          }
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          return i;
        }
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return json.length();
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…(" + text.length() + ")";
  }
}
