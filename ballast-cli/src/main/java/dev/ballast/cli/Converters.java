package dev.ballast.cli;

import dev.ballast.core.config.NodeRole;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.queue.QueueState;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values that picocli cannot convert by itself. A bad value is a {@link
 * TypeConversionException}, which picocli reports as a usage error (exit 2) naming the option and
 * what it accepts, never as a stack trace.
 */
final class Converters {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Converters() {}

  /** {@code gateway}, {@code worker} or {@code both}. */
  static final class Role implements ITypeConverter<NodeRole> {
    @Override
    public NodeRole convert(String value) {
      NodeRole role = NodeRole.parse(value.toLowerCase(Locale.ROOT));
      if (role == null) {
        throw new TypeConversionException(
            "expected gateway, worker or both, but was '" + value + "'");
      }
      return role;
    }
  }

  /** A run-queue state; {@code --state} splits a comma-separated list into several. */
  static final class State implements ITypeConverter<QueueState> {
    @Override
    public QueueState convert(String value) {
      try {
        return QueueState.parse(value.trim().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "expected "
                + names(QueueState.values())
                + " (comma-separated), but was '"
                + value
                + "'");
      }
    }
  }

  /** A journal status of gateway runs. */
  static final class Status implements ITypeConverter<RunStatus> {
    @Override
    public RunStatus convert(String value) {
      for (RunStatus status : RunStatus.values()) {
        if (status.wireName().equalsIgnoreCase(value)) {
          return status;
        }
      }
      throw new TypeConversionException(
          "expected " + names(RunStatus.values()) + ", but was '" + value + "'");
    }
  }

  /**
   * {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1m30s}, or ISO-8601 {@code PT30S}.
   */
  static final class Wait implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration parsed = parseDuration(value);
      if (parsed == null || parsed.isNegative()) {
        throw new TypeConversionException(
            "expected a duration like 30s, 500ms, 2m or 1m30s, but was '" + value + "'");
      }
      return parsed;
    }
  }

  /** The duration, or null when the text is not one. */
  static Duration parseDuration(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    if (text.startsWith("pt")) {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    Matcher m = DURATION_PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long amount = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
              });
      end = m.end();
    }
    return end == text.length() && end > 0 ? total : null;
  }

  /** {@code 1m30s}, {@code 500ms}, {@code 2h}: the form the configuration file uses. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillisPart() != 0 || d.toNanosPart() % 1_000_000 != 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder out = new StringBuilder();
    if (d.toHours() > 0) {
      out.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      out.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      out.append(d.toSecondsPart()).append('s');
    }
    return out.toString();
  }

  private static String names(Enum<?>[] values) {
    String[] names =
        Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    return Arrays.stream(names, 0, names.length - 1).collect(Collectors.joining(", "))
        + " or "
        + names[names.length - 1];
  }
}
