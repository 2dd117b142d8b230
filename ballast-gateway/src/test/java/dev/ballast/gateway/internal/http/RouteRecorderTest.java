package dev.ballast.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import org.junit.jupiter.api.Test;

/** The route list the OpenAPI coverage test relies on notes what the routing code registers. */
class RouteRecorderTest {
  private static final Handler NOTHING = (req, res) -> res.send();

  @Test
  void notesRoutesByMethodAndPathThroughChainedCallsButNotTheCatchAll() {
    RouteRecorder recorder = new RouteRecorder();
    HttpRouting.Builder routing = recorder.wrap(HttpRouting.builder());

    routing
        .get("/a", NOTHING)
        .post("/b/{id}", NOTHING)
        .delete("/c/{+rest}", NOTHING)
        .route(Method.PUT, "/d", NOTHING)
        .any(NOTHING);
    HttpRouting built = routing.build();

    assertThat(built).isNotNull();
    assertThat(recorder.routes())
        .extracting(Object::toString)
        .containsExactly("GET /a", "POST /b/{id}", "DELETE /c/{+rest}", "PUT /d");
  }
}
