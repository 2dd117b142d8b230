package dev.ballast.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private static SseReader reader(String body) {
    return new SseReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void joinsMultiLineDataAndIgnoresCommentsAndEventNames() throws IOException {
    SseReader reader =
        reader(": keep-alive\n\nevent: x\ndata: {\"a\":\ndata: 1}\n\ndata:[DONE]\n\n");

    assertThat(reader.next()).isEqualTo("{\"a\":\n1}");
    assertThat(reader.next()).isEqualTo("[DONE]");
    assertThat(reader.next()).isNull();
  }

  @Test
  void deliversALastEventThatHasNoBlankLineAndKeepsEveryLineRaw() throws IOException {
    String body = "data: {\"x\":1}\n\ndata: {\"y\":2}";
    SseReader reader = reader(body);

    assertThat(reader.next()).isEqualTo("{\"x\":1}");
    assertThat(reader.next()).isEqualTo("{\"y\":2}");
    assertThat(reader.next()).isNull();
    assertThat(reader.raw()).isEqualTo(body + "\n");
  }
}
