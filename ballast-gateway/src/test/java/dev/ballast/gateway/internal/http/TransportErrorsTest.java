package dev.ballast.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.DirectHandler;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import org.junit.jupiter.api.Test;

class TransportErrorsTest {
  @Test
  void everyEventGetsAJsonBodyEvenWithoutARequest() {
    for (DirectHandler.EventType event : DirectHandler.EventType.values()) {
      var response =
          new TransportErrors()
              .handle(
                  DirectHandler.TransportRequest.empty(),
                  event,
                  Status.BAD_REQUEST_400,
                  ServerResponseHeaders.create(),
                  "why");
      assertThat(new String(response.entity().orElseThrow())).as(event.name()).contains("\"code\"");
    }
  }
}
