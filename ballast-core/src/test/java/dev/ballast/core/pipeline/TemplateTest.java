package dev.ballast.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import org.junit.jupiter.api.Test;

class TemplateTest {
  private static final JsonNode SCOPE =
      read(
          """
          {"input": {"question": "why?", "n": 3, "tags": ["a", "b"]},
           "stages": {"draft": {"text": "because", "score": 0.5}},
           "run": {"id": "r1"}}
          """);

  private static JsonNode read(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aWholePlaceholderKeepsItsJsonTypeAndTextIsInterpolated() {
    JsonNode out =
        Template.render(
            read(
                """
                {"n": "{{input.n}}", "tags": "{{ input.tags }}", "first": "{{input.tags[1]}}",
                 "line": "Q: {{input.question}} A: {{stages.draft.text}} ({{stages.draft}})",
                 "fixed": 7}
                """),
            SCOPE);
    assertThat(out.get("n").isInt()).isTrue();
    assertThat(out.get("tags").isArray()).isTrue();
    assertThat(out.get("first").asText()).isEqualTo("b");
    assertThat(out.get("line").asText())
        .isEqualTo("Q: why? A: because ({\"text\":\"because\",\"score\":0.5})");
    assertThat(out.get("fixed").asInt()).isEqualTo(7);
  }

  @Test
  void anAbsentReferenceIsANonRetryableErrorNamingIt() {
    assertThatThrownBy(() -> Template.renderText("x {{stages.nope.text}}", SCOPE))
        .isInstanceOf(StageException.class)
        .hasMessageContaining("stages.nope, which is absent")
        .satisfies(e -> assertThat(((StageException) e).retryable()).isFalse());
    assertThatThrownBy(() -> Template.renderText("{{input.tags[5]}}", SCOPE))
        .hasMessageContaining("input.tags[5]");
  }

  @Test
  void versionsOfCodeDefinedPipelinesAreStableAcrossLambdas() {
    Pipeline a = Pipeline.named("p").stage("one", ctx -> ctx.input()).version("1").build();
    Pipeline b = Pipeline.named("p").stage("one", ctx -> ctx.input()).version("1").build();
    Pipeline c = Pipeline.named("p").stage("one", ctx -> ctx.input()).version("2").build();
    assertThat(a.definition().version()).isEqualTo(b.definition().version());
    assertThat(c.definition().version()).isNotEqualTo(a.definition().version());
  }

  @Test
  void backoffGrowsAndIsCapped() {
    RetryPolicy p =
        new RetryPolicy(5, java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(350), 2);
    assertThat(p.backoff(1).toMillis()).isEqualTo(100);
    assertThat(p.backoff(2).toMillis()).isEqualTo(200);
    assertThat(p.backoff(3).toMillis()).isEqualTo(350);
  }
}
