package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One client address cannot hold more than {@code connections_per_client} connections. */
class ConnectionsPerClientTest {
  @TempDir Path dataDir;

  @Test
  void moreConnectionsFromOneAddressThanTheCapAreRefusedWith429() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (Gateway gateway = Gateway.start(ServerLimitsTest.config(0, dataDir))) {
      // Each connection holds a request in progress whose body is still to come.
      for (int i = 0; i < ServerLimitsTest.PER_CLIENT; i++) {
        Socket s = RawHttp.connect(gateway.port());
        s.getOutputStream().write(RawHttp.ascii(RawHttp.post("/v1/chat/completions", 50)));
        held.add(s);
      }
      Thread.sleep(200); // the server reads each head on a thread of its own
      try (Socket extra = RawHttp.connect(gateway.port())) {
        extra.getOutputStream().write(RawHttp.ascii("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertThat(RawHttp.readAll(extra, 5_000))
            .startsWith("HTTP/1.1 429")
            .contains("connections_per_client");
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
