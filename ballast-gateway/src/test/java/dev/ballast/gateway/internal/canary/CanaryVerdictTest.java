package dev.ballast.gateway.internal.canary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.core.config.CanaryConfig;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.TextEmbedder;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each canary check on its own, the similarity over a stand-in embedder whose vectors are word
 * counts (so related texts are close and unrelated ones are not), and the period arithmetic.
 */
class CanaryVerdictTest {
  private static final TextEmbedder WORDS =
      new TextEmbedder() {
        private final List<String> vocabulary =
            List.of("paris", "capital", "france", "general", "information", "related");

        @Override
        public String model() {
          return "test/words";
        }

        @Override
        public int dimension() {
          return vocabulary.size();
        }

        @Override
        public List<float[]> embed(List<String> texts) {
          return texts.stream()
              .map(
                  t -> {
                    float[] v = new float[vocabulary.size()];
                    for (String w : t.toLowerCase().split("\\W+")) {
                      int i = vocabulary.indexOf(w);
                      if (i >= 0) {
                        v[i]++;
                      }
                    }
                    return v;
                  })
              .toList();
        }
      };

  private final CanaryVerdict verdict = new CanaryVerdict(() -> WORDS);

  private static ChatResponse answer(String text, int tokens) {
    return new ChatResponse(
        "id",
        "m",
        null,
        Message.text(Role.ASSISTANT, text),
        FinishReason.STOP,
        new Usage(5, tokens, 0, 0, false),
        List.of(),
        "{}");
  }

  private static CanaryConfig.Checks checks(
      List<String> contains, List<String> not, List<String> regex, int max) {
    return new CanaryConfig.Checks(
        contains, not, regex.stream().map(Pattern::compile).toList(), max, null, null);
  }

  @Test
  void aGoodAnswerPassesEveryTextCheck() {
    CanaryVerdict.Result r =
        verdict.judge(
            checks(List.of("Paris"), List.of("sorry"), List.of("(?i)capital"), 20),
            answer("Paris is the capital of France.", 7));
    assertThat(r.passed()).isTrue();
    assertThat(r.similarity()).isNull();
  }

  @Test
  void eachFailedCheckIsNamedWithoutQuotingTheAnswer() {
    CanaryVerdict.Result r =
        verdict.judge(
            checks(List.of("Paris"), List.of("sorry"), List.of("(?i)capital"), 5),
            answer("I'm sorry, I cannot say.", 9));
    assertThat(r.failures())
        .extracting(OutputCheckFailure::rule)
        .containsExactly("contains[0]", "not_contains[0]", "regex[0]", "max_tokens");
    assertThat(r.failures()).allSatisfy(f -> assertThat(f.reason()).doesNotContain("cannot say"));
  }

  @Test
  void aJsonSchemaJudgesTheParsedAnswer() {
    var schema = JsonNodeFactory.instance.objectNode();
    schema.put("type", "object").putArray("required").add("city");
    CanaryConfig.Checks checks =
        new CanaryConfig.Checks(List.of(), List.of(), List.of(), 0, schema, null);
    assertThat(verdict.judge(checks, answer("{\"city\":\"Paris\"}", 3)).passed()).isTrue();
    assertThat(verdict.judge(checks, answer("{\"town\":\"Paris\"}", 3)).failures())
        .extracting(OutputCheckFailure::rule)
        .containsExactly("json_schema");
    assertThat(verdict.judge(checks, answer("Paris", 1)).failures().getFirst().reason())
        .isEqualTo("the answer is not JSON");
  }

  @Test
  void similarityToTheReferenceDecidesAgainstTheThreshold() {
    CanaryConfig.Checks checks =
        new CanaryConfig.Checks(
            List.of(),
            List.of(),
            List.of(),
            0,
            null,
            new CanaryConfig.Similarity("Paris is the capital of France.", 0.8));
    CanaryVerdict.Result close = verdict.judge(checks, answer("The capital of France: Paris.", 6));
    assertThat(close.passed()).isTrue();
    assertThat(close.similarity()).isGreaterThan(0.99);
    CanaryVerdict.Result offTopic =
        verdict.judge(checks, answer("Here is some general information, not related.", 8));
    assertThat(offTopic.failures())
        .extracting(OutputCheckFailure::rule)
        .containsExactly("similar_to");
    assertThat(offTopic.similarity()).isLessThan(0.8);
  }

  @Test
  void periodsAreAlignedToTheEpochSoEveryNodeComputesTheSameOne() {
    Instant a = Instant.parse("2026-12-07T18:00:59.999Z");
    Instant b = Instant.parse("2026-12-07T18:00:00.001Z");
    assertThat(Canaries.periodOf(a, java.time.Duration.ofMinutes(1)))
        .isEqualTo(Canaries.periodOf(b, java.time.Duration.ofMinutes(1)))
        .isEqualTo(Instant.parse("2026-12-07T18:00:00Z"));
  }
}
