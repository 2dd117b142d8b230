package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.calls.TenantLimitExceededException;
import dev.ballast.core.ErrorClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every error code the gateway can answer is listed in {@code docs/errors.md}: the codes of every
 * {@code ApiError} and {@code FailureAnswer} in the gateway and the call chain, the transport-level
 * answers, the tenant limits and the error classes a provider failure is reported as.
 */
class ErrorCodesDocumentedTest {
  private static final Pattern CONSTRUCTED =
      Pattern.compile(
          "new (?:ApiError|FailureAnswer)\\(\\s*(?:\\d{3}|status)\\s*,\\s*\"[a-z_]+\"\\s*,\\s*\"([a-z_]+)\"\\s*,");
  private static final Pattern ASSIGNED =
      Pattern.compile("code = \"([a-z_]+)\"|\\\\\"code\\\\\":\\\\\"([a-z_]+)\\\\\"");
  private static final Set<ErrorClass> NAMED_BY_THEIR_OWN_CODE =
      Set.of(
          ErrorClass.RATE_LIMITED,
          ErrorClass.FORMAT_VIOLATION,
          ErrorClass.CONTEXT_LENGTH,
          ErrorClass.CONTENT_POLICY,
          ErrorClass.BAD_REQUEST);

  @Test
  void everyCodeAClientCanReceiveIsDocumented() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "errors.md"));
    Set<String> codes = new TreeSet<>();
    for (Path root :
        new Path[] {
          Path.of("src", "main", "java"), Path.of("..", "ballast-calls", "src", "main", "java")
        }) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> collect(f, codes));
      }
    }
    for (TenantLimitExceededException.Limit limit : TenantLimitExceededException.Limit.values()) {
      codes.add("tenant_" + limit.key() + "_exceeded");
    }
    for (ErrorClass error : ErrorClass.values()) {
      if (!NAMED_BY_THEIR_OWN_CODE.contains(error)) {
        codes.add(error.wireName());
      }
    }
    assertThat(codes).hasSizeGreaterThan(30);
    assertThat(codes.stream().filter(code -> !doc.contains("`" + code + "`")))
        .as("codes missing from docs/errors.md")
        .isEmpty();
  }

  private static void collect(Path file, Set<String> codes) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher constructed = CONSTRUCTED.matcher(text);
    while (constructed.find()) {
      codes.add(constructed.group(1));
    }
    Matcher assigned = ASSIGNED.matcher(text);
    while (assigned.find()) {
      codes.add(assigned.group(1) != null ? assigned.group(1) : assigned.group(2));
    }
  }
}
