package dev.ballast.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator for streamed (SSE) answers: {@code connections} keep-alive
 * connections, each sending the same request again as soon as the previous answer ended, for a
 * fixed time. Unlike wrk, it times each answer twice: to its first body byte (what a user sees as
 * the answer starting) and to its last (the stream's end, where a delayed final write shows).
 *
 * <pre>
 * java dev.ballast.bench.StreamLoad --url URL --body JSON [--header "Name: value"]...
 *     [--connections 1] [--duration 20] [--warmup 3] [--expect "data: [DONE]"] --out FILE
 * </pre>
 *
 * <p>Writes {@code key=value} lines to FILE: requests, errors, rps, and p50/p90/p99 in ms of {@code
 * ttfb} and {@code ttlb}. An answer that is not 200 or lacks the expected text counts as an error;
 * a connection that fails is reopened.
 */
public final class StreamLoad {
  private final URI url;
  private final byte[] request;
  private final String expect;
  private final LatencyRecorder ttfb = new LatencyRecorder();
  private final LatencyRecorder ttlb = new LatencyRecorder();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicBoolean recording = new AtomicBoolean();
  private volatile boolean running = true;

  private StreamLoad(URI url, List<String> headers, String body, String expect) {
    this.url = url;
    this.expect = expect;
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder("POST ")
            .append(url.getRawPath())
            .append(" HTTP/1.1\r\nHost: ")
            .append(url.getHost())
            .append(':')
            .append(url.getPort())
            .append("\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    head.append("Content-Length: ").append(bodyBytes.length).append("\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    this.request = new byte[headBytes.length + bodyBytes.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(bodyBytes, 0, request, headBytes.length, bodyBytes.length);
  }

  public static void main(String[] args) throws Exception {
    String url = null;
    String body = null;
    String out = null;
    String expect = "data: [DONE]";
    List<String> headers = new ArrayList<>();
    int connections = 1;
    int duration = 20;
    int warmup = 3;
    for (int i = 0; i < args.length; i++) {
      String value = args[i + 1];
      switch (args[i++]) {
        case "--url" -> url = value;
        case "--body" -> body = value;
        case "--header" -> headers.add(value);
        case "--connections" -> connections = Integer.parseInt(value);
        case "--duration" -> duration = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--expect" -> expect = value;
        case "--out" -> out = value;
        default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
      }
    }
    if (url == null || body == null || out == null) {
      throw new IllegalArgumentException("--url, --body and --out are required");
    }
    StreamLoad load = new StreamLoad(URI.create(url), headers, body, expect);
    Files.writeString(Path.of(out), load.run(connections, warmup, duration));
  }

  private String run(int connections, int warmupSeconds, int seconds) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      threads.add(Thread.ofPlatform().daemon().start(this::loop));
    }
    Thread.sleep(warmupSeconds * 1000L);
    errors.set(0);
    recording.set(true);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    recording.set(false);
    double elapsed = (System.nanoTime() - start) / 1e9;
    running = false;
    for (Thread t : threads) {
      t.join(10_000);
    }
    StringBuilder report = new StringBuilder();
    report.append("requests=").append(ttlb.count()).append('\n');
    report.append("errors=").append(errors.get()).append('\n');
    report.append(String.format(Locale.ROOT, "rps=%.0f%n", ttlb.count() / elapsed));
    for (String p : new String[] {"50", "90", "99"}) {
      double percentile = Double.parseDouble(p);
      report.append(String.format(Locale.ROOT, "ttfb_p%s=%.3f%n", p, ttfb.millis(percentile)));
      report.append(String.format(Locale.ROOT, "ttlb_p%s=%.3f%n", p, ttlb.millis(percentile)));
    }
    return report.toString();
  }

  private void loop() {
    while (running) {
      try (Socket socket = new Socket(url.getHost(), url.getPort())) {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
        while (running) {
          if (!exchange(out, in)) {
            break; // the server closed the connection or answered with an error: reconnect
          }
        }
      } catch (IOException e) {
        countError();
      }
    }
  }

  /** One request and its answer; false when the connection cannot be reused. */
  private boolean exchange(OutputStream out, InputStream in) throws IOException {
    long start = System.nanoTime();
    out.write(request);
    out.flush();
    Head head = readHead(in);
    long first = 0;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (head.chunked) {
      while (true) {
        int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
        if (first == 0) {
          first = System.nanoTime();
        }
        if (size == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers
          }
          break;
        }
        body.write(in.readNBytes(size));
        readLine(in);
      }
    } else if (head.contentLength >= 0) {
      int b = in.read();
      first = System.nanoTime();
      if (b >= 0) {
        body.write(b);
        body.write(in.readNBytes((int) head.contentLength - 1));
      }
    } else {
      throw new IOException("an answer without Content-Length or chunked body");
    }
    long end = System.nanoTime();
    boolean ok = head.status == 200 && body.toString(StandardCharsets.UTF_8).contains(expect);
    if (!ok) {
      countError();
      return false;
    }
    if (recording.get()) {
      ttfb.record(first - start);
      ttlb.record(end - start);
    }
    return !head.close;
  }

  private void countError() {
    if (recording.get()) {
      errors.incrementAndGet();
    }
  }

  private record Head(int status, boolean chunked, long contentLength, boolean close) {}

  private static Head readHead(InputStream in) throws IOException {
    String status = readLine(in);
    String[] parts = status.split(" ");
    if (parts.length < 2) {
      throw new IOException("not an HTTP status line: " + status);
    }
    boolean chunked = false;
    boolean close = false;
    long length = -1;
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring("content-length:".length()).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    return new Head(Integer.parseInt(parts[1]), chunked, length, close);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed in the middle of a line");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
