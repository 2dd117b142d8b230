package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.BallastException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No client can hold the node's connections by sending slowly or not at all, and requests the
 * server cannot take are answered in words, over real sockets: slow heads, stalled bodies, idle
 * keep-alive connections, too many connections from one address, HTTP/1.0, broken chunked bodies.
 */
class ServerLimitsTest {
  static final int PER_CLIENT = 4;

  @TempDir static Path dataDir;
  static Gateway gateway;

  @BeforeAll
  static void start() {
    gateway = Gateway.start(config(0, dataDir));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static BallastConfig config(int port, Path dataDir) {
    String yaml =
        """
        server:
          port: %d
          limits: {request_head: 1s, body_progress: 1s, idle: 2s, connections_per_client: %d}
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim}}
        groups: {default: {deployments: [sim]}}
        tenants: {team: {keys: ["%s"]}}
        """
            .formatted(port, PER_CLIENT, ConfigLoader.hashKey(TestGateway.KEY));
    BallastConfig config = ConfigLoader.parse("limits", yaml, Map.of());
    return config.withServer(config.server().withDataDir(dataDir));
  }

  @Test
  void aRequestHeadTrickledTooSlowlyIsAnswered408AndClosed() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(RawHttp.ascii("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
      s.setSoTimeout(300);
      InputStream in = s.getInputStream();
      // A header every 300 ms keeps bytes coming, but the head never ends.
      for (int i = 0; i < 30; i++) {
        try {
          out.write(RawHttp.ascii("X-Slow-" + i + ": y\r\n"));
          int first = in.read();
          assertThat(first).isEqualTo('H');
          break;
        } catch (SocketTimeoutException stillOpen) {
          // not yet
        } catch (IOException closedWhileWriting) {
          break;
        }
      }
      assertThat("H" + RawHttp.readAll(s, 3_000))
          .startsWith("HTTP/1.1 408")
          .contains("request_head");
    }
  }

  @Test
  void aStalledBodyIsAnswered408AndClosed() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream()
          .write(RawHttp.ascii(RawHttp.post("/v1/chat/completions", 100) + "{\"model\":"));
      String answer = RawHttp.readAll(s, 10_000);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("body_progress");
    }
  }

  @Test
  void aBodyThatKeepsMovingSlowlyIsServed() throws Exception {
    String body = TestGateway.chat("default", false);
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(RawHttp.ascii(RawHttp.post("/v1/chat/completions", body.length())));
      // Longer than body_progress in all, but never a pause that long.
      for (int i = 0; i < body.length(); i += 10) {
        out.write(RawHttp.ascii(body.substring(i, Math.min(body.length(), i + 10))));
        out.flush();
        Thread.sleep(150);
      }
      assertThat(RawHttp.readAvailable(s, 10_000)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() throws Exception {
    try (Socket s = connect()) {
      s.setSoTimeout(15_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void http10IsRefusedWithAClear505() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write(RawHttp.ascii("GET /healthz HTTP/1.0\r\n\r\n"));
      assertThat(RawHttp.readAll(s, 5_000))
          .startsWith("HTTP/1.1 505")
          .contains("http_version_not_supported")
          .contains("HTTP/1.1");
    }
  }

  @Test
  void aBrokenChunkedBodyIsAnswered400AtOnce() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream()
          .write(
              RawHttp.ascii(
                  "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + TestGateway.KEY
                      + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + "zz\r\nabc\r\n"));
      // Well within body_progress: the answer is not the guard's 408.
      assertThat(RawHttp.readAll(s, 900)).startsWith("HTTP/1.1 400").contains("malformed_body");
    }
  }

  @Test
  void aPortThatIsTakenFailsTheStartWithItsAddress() {
    assertThatThrownBy(() -> Gateway.start(config(gateway.port(), dataDir)))
        .isInstanceOf(BallastException.class)
        .hasMessageContaining("127.0.0.1:" + gateway.port());
  }

  private static Socket connect() throws IOException {
    return RawHttp.connect(gateway.port());
  }
}
