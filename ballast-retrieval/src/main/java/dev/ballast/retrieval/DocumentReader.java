package dev.ballast.retrieval;

import dev.ballast.core.BallastException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads files and directories into {@link SourceDocument}s. A file named directly gets its file
 * name as its id; a file found under a directory gets its path relative to that directory ({@code
 * /} separated), so re-ingesting the same directory addresses the same documents. Directories are
 * walked recursively in path order; hidden files and directories (names starting with {@code .})
 * are skipped. Files are read as UTF-8.
 */
public final class DocumentReader {
  private DocumentReader() {}

  /**
   * @throws UnsupportedDocumentException naming the first file of an unsupported type
   * @throws BallastException when a path does not exist, a file is not UTF-8, or two files would
   *     get the same id
   */
  public static List<SourceDocument> read(List<Path> paths) {
    List<SourceDocument> documents = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        for (Path file : walk(path)) {
          add(documents, ids, file, path.relativize(file).toString().replace('\\', '/'));
        }
      } else if (Files.isRegularFile(path)) {
        add(documents, ids, path, path.getFileName().toString());
      } else {
        throw new BallastException("no such file or directory: " + path);
      }
    }
    return documents;
  }

  private static void add(List<SourceDocument> out, Set<String> ids, Path file, String id) {
    DocumentFormat format = DocumentFormat.forFileName(file.toString());
    if (!ids.add(id)) {
      throw new BallastException(
          "two files would both be document \"" + id + "\"; ingest them in separate calls");
    }
    out.add(new SourceDocument(id, file.getFileName().toString(), format, utf8(file)));
  }

  private static List<Path> walk(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !hidden(dir.relativize(f)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read directory " + dir, e);
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String utf8(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BallastException("file " + file + " is not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
