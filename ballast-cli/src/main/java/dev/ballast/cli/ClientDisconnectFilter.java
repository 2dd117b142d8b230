package dev.ballast.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;

/**
 * Keeps client disconnects out of the log. The HTTP server reports a client that closes its
 * connection in the middle of a request as an "Internal server error" with a stack trace; that is
 * the client's choice, not a problem of the node, and at a few per second it would bury the lines
 * an operator needs. Events whose cause chain says the peer went away are dropped; everything else
 * passes unchanged.
 */
public final class ClientDisconnectFilter extends Filter<ILoggingEvent> {
  private static final Set<String> PEER_GONE =
      Set.of(
          "io.helidon.common.buffers.DataReader$InsufficientDataAvailableException",
          "io.helidon.common.socket.SocketClosedException",
          "java.nio.channels.ClosedChannelException");

  @Override
  public FilterReply decide(ILoggingEvent event) {
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      if (PEER_GONE.contains(t.getClassName()) || peerReset(t.getMessage())) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }

  private static boolean peerReset(String message) {
    return message != null
        && (message.contains("Broken pipe") || message.contains("Connection reset by peer"));
  }
}
