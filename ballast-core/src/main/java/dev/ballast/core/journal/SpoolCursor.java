package dev.ballast.core.journal;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.ballast.core.Json;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a sealed spool file in batches, so that a large spool never has to fit in memory. */
final class SpoolCursor implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolCursor.class);
  private static final ObjectReader LINE_READER = Json.mapper().readerFor(SpoolLine.class);

  private final Path file;
  private final boolean recovered;
  private final BufferedReader reader;
  private long lineNumber;
  private long skipped;

  SpoolCursor(Path file, boolean recovered) throws IOException {
    this.file = file;
    this.recovered = recovered;
    this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }

  Path file() {
    return file;
  }

  /** Lines that could not be read since the last call; they are lost and must not stay counted. */
  long takeSkipped() {
    long n = skipped;
    skipped = 0;
    return n;
  }

  /** The next batch of at most {@code max} entries, or null when the file is exhausted. */
  JournalBatch next(int max) throws IOException {
    List<JournalEntry> entries = new ArrayList<>(max);
    Map<String, byte[]> blobs = new HashMap<>();
    String line;
    while (entries.size() < max && (line = reader.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      try {
        SpoolLine spooled = LINE_READER.readValue(line);
        entries.add(spooled.entry());
        blobs.putAll(spooled.blobs());
      } catch (IOException e) {
        // Only a crash in the middle of a write leaves a torn line, and only as the last one.
        skipped++;
        LOG.warn(
            "skipping unreadable line {} of journal spool {}: {}", lineNumber, file, e.toString());
      }
    }
    return entries.isEmpty() ? null : new JournalBatch(entries, blobs, recovered);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
