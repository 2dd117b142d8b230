package dev.ballast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering the build guards, read from every module's sources (imports and fully qualified
 * names alike): the core stays free of frameworks, HTTP and JDBC; the model-call chain stays free
 * of HTTP servers, JDBC and the modules that call it; no module reaches into another module's
 * {@code .internal} packages; and inside the gateway the wire codecs depend on nothing else, the
 * HTTP edge not on the assembly. Each violation is reported with its file and line.
 */
class LayeringTest {
  private static final Path ROOT = repositoryRoot();
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern REFERENCE =
      Pattern.compile(
          "\\b((?:java|javax|io|org|com|dev|ai|info)\\.[a-z0-9_]+(?:\\.[a-zA-Z0-9_]+)+)");

  /** HTTP servers and clients and JDBC: below the model-call chain, nowhere. */
  private static final List<String> HTTP_AND_JDBC =
      List.of("io.helidon", "java.net.http", "java.sql", "javax.sql");

  /** The modules that call the model-call chain, or that it must not know. */
  private static final List<String> ABOVE_THE_CHAIN =
      List.of(
          "dev.ballast.providers",
          "dev.ballast.simulator",
          "dev.ballast.store",
          "dev.ballast.pipeline",
          "dev.ballast.retrieval",
          "dev.ballast.replay",
          "dev.ballast.telemetry",
          "dev.ballast.watch",
          "dev.ballast.gateway",
          "dev.ballast.console",
          "dev.ballast.cli");

  /** Libraries the core must not use besides HTTP and JDBC: it has no framework. */
  private static final List<String> FRAMEWORKS =
      List.of(
          "com.zaxxer",
          "org.flywaydb",
          "org.postgresql",
          "org.sqlite",
          "org.jdbi",
          "io.github.resilience4j",
          "io.opentelemetry",
          "io.micrometer",
          "org.apache.lucene",
          "dev.langchain4j",
          "ai.djl",
          "picocli");

  private static final List<String> NOT_IN_CORE =
      concat(
          HTTP_AND_JDBC,
          FRAMEWORKS,
          ABOVE_THE_CHAIN,
          List.of("dev.ballast.calls", "dev.ballast.resilience"));

  private static final List<String> NOT_IN_CALLS = concat(HTTP_AND_JDBC, ABOVE_THE_CHAIN);

  private static final Map<String, List<String>> GATEWAY_LAYERS =
      Map.of(
          "dev/ballast/gateway/internal/wire",
          List.of("dev.ballast.gateway.internal.http", "dev.ballast.gateway.internal.assembly"),
          "dev/ballast/gateway/internal/http",
          List.of("dev.ballast.gateway.internal.assembly"));

  @Test
  void theCoreUsesNoFrameworkHttpOrJdbc() {
    assertThat(violations(ROOT.resolve("ballast-core/src/main/java"), NOT_IN_CORE)).isEmpty();
  }

  /** Watch depends on the core alone: the node wires it to the store, journal and diff engine. */
  @Test
  void watchUsesNoFrameworkHttpJdbcOrOtherModule() {
    List<String> notInWatch =
        NOT_IN_CORE.stream().filter(p -> !p.equals("dev.ballast.watch")).toList();
    assertThat(violations(ROOT.resolve("ballast-watch/src/main/java"), notInWatch)).isEmpty();
  }

  @Test
  void theModelCallChainUsesNoHttpServerJdbcOrItsCallers() {
    assertThat(violations(ROOT.resolve("ballast-calls/src/main/java"), NOT_IN_CALLS)).isEmpty();
  }

  @Test
  void noModuleReachesIntoAnotherModulesInternals() {
    List<String> found = new ArrayList<>();
    for (Path module : modules()) {
      for (String tree : List.of("src/main/java", "src/test/java")) {
        Path sources = module.resolve(tree);
        Set<String> own = ownRoots(module.resolve("src/main/java"));
        for (Path file : javaFiles(sources)) {
          forEachReference(
              file,
              (line, ref) -> {
                Matcher m = Pattern.compile("^dev\\.ballast\\.(\\w+)\\.internal\\b").matcher(ref);
                if (m.find() && !own.contains(m.group(1))) {
                  found.add(ROOT.relativize(file) + ":" + line + " uses " + ref);
                }
              });
        }
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void theGatewaysWireCodecsAndHttpEdgeDoNotDependOnWhatIsAboveThem() {
    List<String> found = new ArrayList<>();
    Path main = ROOT.resolve("ballast-gateway/src/main/java");
    GATEWAY_LAYERS.forEach(
        (pkg, forbidden) -> found.addAll(violations(main.resolve(pkg), forbidden)));
    assertThat(found).isEmpty();
  }

  private static List<String> violations(Path sources, List<String> forbidden) {
    assertThat(sources).isDirectory();
    List<String> found = new ArrayList<>();
    for (Path file : javaFiles(sources)) {
      forEachReference(
          file,
          (line, ref) -> {
            for (String f : forbidden) {
              if (ref.equals(f) || ref.startsWith(f + ".") || ref.contains("." + f + ".")) {
                found.add(ROOT.relativize(file) + ":" + line + " uses " + ref);
              }
            }
          });
    }
    return found;
  }

  private interface ReferenceConsumer {
    void accept(int line, String reference);
  }

  /**
   * Every dotted package-qualified name in the file's code, comments and string literals excluded.
   */
  private static void forEachReference(Path file, ReferenceConsumer consumer) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean inComment = false;
    for (int i = 0; i < lines.size(); i++) {
      String code = lines.get(i);
      if (inComment) {
        int end = code.indexOf("*/");
        if (end < 0) {
          continue;
        }
        code = code.substring(end + 2);
        inComment = false;
      }
      int start = code.indexOf("/*");
      if (start >= 0) {
        inComment = code.indexOf("*/", start) < 0;
        code = code.substring(0, start);
      }
      int lineComment = code.indexOf("//");
      if (lineComment >= 0) {
        code = code.substring(0, lineComment);
      }
      Matcher m = REFERENCE.matcher(STRING.matcher(code).replaceAll("\"\""));
      while (m.find()) {
        consumer.accept(i + 1, m.group(1));
      }
    }
  }

  /** The top packages a module's main sources define, e.g. {@code store} for ballast-store-jdbc. */
  private static Set<String> ownRoots(Path main) {
    Path ballast = main.resolve("dev/ballast");
    if (!Files.isDirectory(ballast)) {
      return Set.of();
    }
    try (Stream<Path> dirs = Files.list(ballast)) {
      return dirs.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .collect(java.util.stream.Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> modules() {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      List<Path> modules =
          dirs.filter(d -> d.getFileName().toString().startsWith("ballast-"))
              .filter(d -> Files.exists(d.resolve("pom.xml")))
              .sorted()
              .toList();
      assertThat(modules).hasSizeGreaterThan(10);
      return modules;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    return Stream.of(lists).flatMap(List::stream).toList();
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("ballast-core/pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run from inside the Ballast repository");
    }
    return dir;
  }
}
