package dev.ballast.simulator;

import dev.ballast.simulator.internal.http.HttpServerLoop;
import dev.ballast.simulator.internal.server.SimulatorRouter;
import java.net.InetAddress;
import java.net.URI;

/**
 * The simulator over real HTTP/1.1: OpenAI ({@code /v1/chat/completions}, {@code /v1/embeddings},
 * {@code /v1/models}), Anthropic ({@code /v1/messages}), Ollama ({@code /api/chat}, {@code
 * /api/embed}) and the admin endpoints {@code GET /_sim/attempts[?model=]}, {@code POST
 * /_sim/switch} ({@code {"model", "directives"}}: change a model's behaviour at once), {@code GET
 * /_sim/switches} and {@code POST /_sim/reset}. One virtual thread per connection, keep-alive
 * supported. Created by {@link Simulator#server(int)}; listening once constructed; {@link #close()}
 * stops it and ends every open connection (including silent and stalled ones). Thread-safe.
 */
public final class SimulatorServer implements AutoCloseable {
  private final HttpServerLoop loop;
  private final InetAddress address;

  SimulatorServer(Simulator simulator, InetAddress address, int port) {
    this.address = address;
    this.loop =
        new HttpServerLoop(address, port, new SimulatorRouter(simulator.engine(), simulator.log()));
  }

  /** The port actually bound (useful when started on port 0). */
  public int port() {
    return loop.port();
  }

  /**
   * The base URL, e.g. {@code http://127.0.0.1:43121}; append {@code /v1/...} or {@code /api/...}.
   */
  public URI baseUri() {
    String host = address.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port());
  }

  @Override
  public void close() {
    loop.close();
  }
}
