package dev.ballast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ClientDisconnectFilterTest {
  private final ClientDisconnectFilter filter = new ClientDisconnectFilter();
  private final LoggerContext context = new LoggerContext();

  @Test
  void dropsAServerWarningCausedByAPeerThatWentAway() {
    var cause = new IOException("Broken pipe");
    assertThat(filter.decide(event(new IllegalStateException("Internal error", cause))))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void keepsEverythingElse() {
    assertThat(filter.decide(event(new IllegalStateException("disk full"))))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(event(null))).isEqualTo(FilterReply.NEUTRAL);
  }

  private LoggingEvent event(Throwable thrown) {
    return new LoggingEvent(
        "fqcn",
        context.getLogger("io.helidon.webserver"),
        Level.WARN,
        "Internal server error",
        thrown,
        null);
  }
}
