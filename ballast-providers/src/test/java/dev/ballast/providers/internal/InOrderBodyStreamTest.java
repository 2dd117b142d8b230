package dev.ballast.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InOrderBodyStreamTest {
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final InOrderBodyStream body = new InOrderBodyStream();

  InOrderBodyStreamTest() {
    body.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {
            cancelled.set(true);
          }
        });
  }

  private static List<ByteBuffer> bytes(String text) {
    return List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String readUntilFailure(InputStream in, ByteArrayOutputStream sink) {
    byte[] buffer = new byte[4];
    try {
      for (int n; (n = in.read(buffer)) != -1; ) {
        sink.write(buffer, 0, n);
      }
      return "end";
    } catch (IOException e) {
      return "failed";
    }
  }

  // Regression: with BodyHandlers.ofInputStream() a stream cut after three tokens could hand the
  // decoder none of them, because the failure overtook buffers that had already arrived.
  @Test
  void handsOutEveryByteReceivedBeforeTheFailure() {
    body.onNext(bytes("data: one\n\n"));
    body.onNext(bytes("data: two\n\n"));
    body.onError(new EOFException("connection closed mid-body"));
    ByteArrayOutputStream read = new ByteArrayOutputStream();

    assertThat(readUntilFailure(body, read)).isEqualTo("failed");
    assertThat(read.toString(StandardCharsets.UTF_8)).isEqualTo("data: one\n\ndata: two\n\n");
  }

  @Test
  void endsCleanlyAfterTheLastBuffer() throws IOException {
    body.onNext(bytes("{\"ok\":true}"));
    body.onComplete();

    assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
    assertThat(body.read()).isEqualTo(-1);
  }

  @Test
  void closingCancelsTheBodyAndFailsLaterReads() {
    body.onNext(bytes("unread"));

    body.close();

    assertThat(cancelled).isTrue();
    assertThatThrownBy(body::read).isInstanceOf(IOException.class);
  }
}
