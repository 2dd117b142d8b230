package dev.ballast.providers.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Newline-delimited JSON, as Ollama streams: one payload per non-blank line. */
final class NdjsonReader implements EventReader {
  private final BufferedReader reader;
  private final StringBuilder raw = new StringBuilder();

  NdjsonReader(InputStream body) {
    this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  @Override
  public String next() throws IOException {
    for (String line; (line = reader.readLine()) != null; ) {
      raw.append(line).append('\n');
      if (!line.isBlank()) {
        return line;
      }
    }
    return null;
  }

  @Override
  public String raw() {
    return raw.toString();
  }
}
