package dev.ballast.providers.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events: the payload of an event is its {@code data:} lines joined by newlines; the
 * {@code event:} name is ignored because OpenAI and Anthropic both repeat it inside the JSON.
 */
final class SseReader implements EventReader {
  private final BufferedReader reader;
  private final StringBuilder raw = new StringBuilder();

  SseReader(InputStream body) {
    this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  @Override
  public String next() throws IOException {
    StringBuilder data = null;
    for (String line; (line = reader.readLine()) != null; ) {
      raw.append(line).append('\n');
      if (line.isEmpty()) {
        if (data != null) {
          return data.toString();
        }
      } else if (line.startsWith("data:")) {
        String value = line.substring(line.startsWith("data: ") ? 6 : 5);
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    // A body that ends without the blank line still delivers its last event.
    return data == null ? null : data.toString();
  }

  @Override
  public String raw() {
    return raw.toString();
  }
}
