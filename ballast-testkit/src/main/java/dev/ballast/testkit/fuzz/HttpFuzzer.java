package dev.ballast.testkit.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends seeded hostile requests ({@link HostileRequests}) to a running gateway over raw sockets,
 * from several threads, and records what it answered. A finding is any answer a client mistake must
 * never get: a 5xx other than a provider's answer failing the client's own (valid) schema, no
 * answer at all (the connection closed or reset without a status line), or no answer within the
 * per-request limit (a hang).
 *
 * <p>Raw sockets, because hostile input includes what an HTTP client library refuses to send:
 * invalid paths, bytes that are not UTF-8, headers of any size.
 */
public final class HttpFuzzer {
  /** What the fuzzer found. */
  public record Report(
      int requests,
      Map<Integer, Integer> byStatus,
      Map<String, Integer> byKind,
      List<String> findings,
      Duration elapsed) {

    /** A Markdown-ready one-line summary of the status counts, e.g. {@code 200: 312, 400: 801}. */
    public String statusSummary() {
      StringBuilder s = new StringBuilder();
      byStatus.forEach(
          (status, n) ->
              s.append(s.isEmpty() ? "" : ", ")
                  .append(status == 0 ? "no answer" : status)
                  .append(": ")
                  .append(n));
      return s.toString();
    }
  }

  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
  private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([a-z_]+)\"");

  private final String host;
  private final int port;
  private final String key;
  private final List<String> groups;
  private final List<String> pipelines;
  private final List<String> collections;
  private Duration requestLimit = Duration.ofSeconds(30);

  /**
   * @param key a tenant key sent as {@code Authorization: Bearer} unless a request replaces it
   * @param groups model groups, pipelines and collections the configuration really has, so that
   *     part of the traffic reaches deep before it turns hostile
   */
  public HttpFuzzer(
      String host,
      int port,
      String key,
      List<String> groups,
      List<String> pipelines,
      List<String> collections) {
    this.host = host;
    this.port = port;
    this.key = key;
    this.groups = groups;
    this.pipelines = pipelines;
    this.collections = collections;
  }

  /** How long one request may take before it counts as a hang (default 30 s). */
  public HttpFuzzer requestLimit(Duration limit) {
    this.requestLimit = limit;
    return this;
  }

  /**
   * Sends at most {@code requests} requests, or as many as fit in {@code budget}, from {@code
   * threads} threads, each thread with its own seed derived from {@code seed}.
   */
  public Report run(long seed, int requests, Duration budget, int threads)
      throws InterruptedException {
    AtomicInteger sent = new AtomicInteger();
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
    List<String> findings = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    long end = start + budget.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      HostileRequests generator =
          new HostileRequests(seed * 31 + t, groups, pipelines, collections);
      workers.add(
          Thread.ofPlatform()
              .name("fuzz-" + t)
              .start(
                  () -> {
                    try {
                      while (sent.getAndIncrement() < requests && System.nanoTime() < end) {
                        HostileRequests.Request request = generator.next();
                        kinds.computeIfAbsent(request.kind(), k -> new LongAdder()).increment();
                        Answer answer = send(request);
                        statuses.computeIfAbsent(answer.status(), s -> new LongAdder()).increment();
                        String finding = judge(request, answer);
                        if (finding != null) {
                          findings.add(finding);
                        }
                      }
                    } catch (RuntimeException e) {
                      // A fuzzer that stops early must not pass as a clean run.
                      findings.add(
                          "fuzzer thread " + Thread.currentThread().getName() + " failed: " + e);
                    }
                  }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    Map<Integer, Integer> byStatus = new TreeMap<>();
    statuses.forEach((s, n) -> byStatus.put(s, n.intValue()));
    Map<String, Integer> byKind = new TreeMap<>();
    kinds.forEach((k, n) -> byKind.put(k, n.intValue()));
    int total = byStatus.values().stream().mapToInt(Integer::intValue).sum();
    return new Report(
        total,
        byStatus,
        byKind,
        List.copyOf(findings),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private record Answer(int status, String text, boolean hung, String failure) {}

  private static String judge(HostileRequests.Request request, Answer answer) {
    if (answer.hung()) {
      return "no answer within the limit: " + request.describe();
    }
    if (answer.status() == 0) {
      return "no answer (" + answer.failure() + "): " + request.describe();
    }
    if (answer.status() >= 500) {
      Matcher code = CODE.matcher(answer.text());
      String errorCode = code.find() ? code.group(1) : "";
      // The provider's answer failing the client's own valid schema is the provider's failure.
      if (answer.status() == 502 && errorCode.equals("format_violation")) {
        return null;
      }
      return answer.status() + " " + errorCode + ": " + request.describe();
    }
    return null;
  }

  private Answer send(HostileRequests.Request request) {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout((int) requestLimit.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(head(request).getBytes(StandardCharsets.UTF_8));
      if (request.body() != null) {
        out.write(request.body());
      }
      out.flush();
      String text = readAnswer(new java.io.BufferedInputStream(socket.getInputStream()));
      Matcher status = STATUS.matcher(text);
      if (!status.find()) {
        return new Answer(0, text, false, text.isEmpty() ? "closed" : "not HTTP: " + text);
      }
      return new Answer(Integer.parseInt(status.group(1)), text, false, null);
    } catch (SocketTimeoutException e) {
      return new Answer(0, "", true, "timeout");
    } catch (IOException e) {
      return new Answer(0, "", false, e.toString());
    }
  }

  private String head(HostileRequests.Request request) {
    StringBuilder head = new StringBuilder();
    head.append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append(':').append(port).append("\r\n");
    head.append("Connection: close\r\n");
    boolean hasAuthorization = false;
    List<String> headers = request.headers();
    for (int i = 0; i + 1 < headers.size(); i += 2) {
      hasAuthorization |= headers.get(i).equalsIgnoreCase("Authorization");
      head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
    }
    if (!hasAuthorization) {
      head.append("Authorization: Bearer ").append(key).append("\r\n");
    }
    if (request.body() != null) {
      head.append("Content-Length: ").append(request.body().length).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  /**
   * One answer: the head, then a body by Content-Length, chunks, or to the end of the stream. (A
   * server may keep the connection open after "Connection: close", so the end of the stream alone
   * is not the end of the answer.) Only the first 64 KiB are kept; a long stream is drained.
   */
  private static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    String head = readHead(in, kept);
    if (head.isEmpty()) {
      return "";
    }
    String lower = head.toLowerCase(java.util.Locale.ROOT);
    Matcher length = Pattern.compile("content-length:\\s*(\\d+)").matcher(lower);
    if (length.find()) {
      copy(in, Long.parseLong(length.group(1)), kept);
    } else if (lower.contains("transfer-encoding: chunked")) {
      for (long size = chunkSize(in, kept); size > 0; size = chunkSize(in, kept)) {
        copy(in, size + 2, kept); // the chunk and its CRLF
      }
      readLine(in, kept); // the CRLF that ends the chunked body (no trailers are sent)
    } else {
      copy(in, Long.MAX_VALUE, kept);
    }
    return kept.toString(StandardCharsets.UTF_8);
  }

  private static String readHead(InputStream in, ByteArrayOutputStream kept) throws IOException {
    StringBuilder head = new StringBuilder();
    for (String line = readLine(in, kept); line != null; line = readLine(in, kept)) {
      if (line.isEmpty()) {
        return head.toString();
      }
      head.append(line).append('\n');
    }
    return head.toString();
  }

  private static long chunkSize(InputStream in, ByteArrayOutputStream kept) throws IOException {
    String line = readLine(in, kept);
    if (line == null) {
      return 0;
    }
    return Long.parseLong(line.split(";")[0].trim(), 16);
  }

  /** A line without its CRLF, or null at the end of the stream. */
  private static String readLine(InputStream in, ByteArrayOutputStream kept) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0; b = in.read()) {
      keep(kept, b);
      if (b == '\n') {
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? 1 : 0;
        return line.substring(0, line.length() - end);
      }
      line.append((char) b);
    }
    return line.isEmpty() ? null : line.toString();
  }

  private static void copy(InputStream in, long bytes, ByteArrayOutputStream kept)
      throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long left = bytes;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        return;
      }
      if (kept.size() < 64 * 1024) {
        kept.write(buffer, 0, n);
      }
      left -= n;
    }
  }

  private static void keep(ByteArrayOutputStream kept, int b) {
    if (kept.size() < 64 * 1024) {
      kept.write(b);
    }
  }
}
