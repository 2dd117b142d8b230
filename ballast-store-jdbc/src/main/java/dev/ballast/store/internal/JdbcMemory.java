package dev.ballast.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ballast.core.Json;
import dev.ballast.core.state.InvalidMutationException;
import dev.ballast.core.state.MemoryEntry;
import dev.ballast.core.state.MemoryMutation;
import dev.ballast.core.state.MemoryWrite;
import dev.ballast.core.state.VersionConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conversation memory over JDBC (docs/state.md, invariants 6 and 7). The primary key {@code
 * (conversation, version)} is the arbiter between concurrent writers: two writes expecting the same
 * version both try to insert the next one, and the second fails on the key, on any number of nodes.
 * That failure is then told apart: a write whose effect key the winner carried is the same write
 * retried (applied once, answered with the original versions); anything else is a version conflict.
 */
final class JdbcMemory {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Dialect dialect;
  private final Connections connections;

  JdbcMemory(Dialect dialect, Connections connections) {
    this.dialect = dialect;
    this.connections = connections;
  }

  MemoryWrite write(
      String conversation,
      long expected,
      List<MemoryMutation> mutations,
      String effectKey,
      Instant now)
      throws SQLException {
    if (mutations.isEmpty()) {
      throw new IllegalArgumentException("a memory write needs at least one mutation");
    }
    if (expected < 0) {
      throw new IllegalArgumentException("expectedVersion must be >= 0, but was " + expected);
    }
    try {
      return connections.write(c -> apply(c, conversation, expected, mutations, effectKey, now));
    } catch (SQLException e) {
      if (!uniqueViolation(e)) {
        throw e;
      }
      // Another writer took the version first. If it was this write, under its effect key, the
      // mutations are in; otherwise this write expected a version that is no longer current.
      Optional<MemoryWrite> earlier =
          effectKey == null
              ? Optional.empty()
              : connections.read(c -> recorded(c, conversation, effectKey));
      if (earlier.isPresent()) {
        return earlier.get();
      }
      throw new VersionConflictException(conversation, expected, currentVersion(conversation));
    }
  }

  long currentVersion(String conversation) throws SQLException {
    return connections.read(c -> current(c, conversation));
  }

  List<MemoryEntry> history(String conversation, long upTo) throws SQLException {
    return connections.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT version, mutation, effect_key, at FROM memory_entries"
                      + " WHERE conversation = ? AND version <= ? ORDER BY version")) {
            ps.setString(1, conversation);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
              List<MemoryEntry> entries = new ArrayList<>();
              while (rs.next()) {
                entries.add(
                    new MemoryEntry(
                        conversation,
                        rs.getLong("version"),
                        mutation(rs.getString("mutation")),
                        rs.getString("effect_key"),
                        dialect.instant(rs, "at")));
              }
              return entries;
            }
          }
        });
  }

  private MemoryWrite apply(
      Connection c,
      String conversation,
      long expected,
      List<MemoryMutation> mutations,
      String effectKey,
      Instant now)
      throws SQLException {
    if (effectKey != null) {
      Optional<MemoryWrite> earlier = recorded(c, conversation, effectKey);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    long current = current(c, conversation);
    if (current != expected) {
      throw new VersionConflictException(conversation, expected, current);
    }
    check(c, conversation, expected, mutations);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO memory_entries (conversation, version, op, fact_key, mutation,"
                + " effect_key, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      long version = expected;
      for (MemoryMutation m : mutations) {
        ps.setString(1, conversation);
        ps.setLong(2, ++version);
        ps.setString(3, op(m));
        ps.setString(4, factKey(m));
        ps.setString(5, json(m));
        ps.setString(6, effectKey);
        dialect.setInstant(ps, 7, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    long after = expected + mutations.size();
    if (effectKey != null) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO memory_writes (conversation, effect_key, version_before,"
                  + " version_after) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, conversation);
        ps.setString(2, effectKey);
        ps.setLong(3, expected);
        ps.setLong(4, after);
        ps.executeUpdate();
      }
    }
    return new MemoryWrite(conversation, expected, after, true);
  }

  /**
   * Refuses mutations that do not apply to memory at {@code expected}: facts are looked up by key
   * (the latest mutation of each key), not by folding the whole log.
   */
  private static void check(
      Connection c, String conversation, long expected, List<MemoryMutation> mutations)
      throws SQLException {
    Map<String, Boolean> present = new HashMap<>();
    long version = expected;
    for (MemoryMutation m : mutations) {
      version++;
      switch (m) {
        case MemoryMutation.AddFact f -> {
          if (exists(c, conversation, f.key(), present)) {
            throw new InvalidMutationException("fact \"" + f.key() + "\" already exists");
          }
          present.put(f.key(), true);
        }
        case MemoryMutation.ReplaceFact f -> requireFact(c, conversation, f.key(), present);
        case MemoryMutation.RetractFact f -> {
          requireFact(c, conversation, f.key(), present);
          present.put(f.key(), false);
        }
        case MemoryMutation.Summarize s -> {
          if (s.throughVersion() < 0 || s.throughVersion() >= version) {
            throw new InvalidMutationException(
                "a summary written as version "
                    + version
                    + " can cover only versions before it, but throughVersion was "
                    + s.throughVersion());
          }
        }
        case MemoryMutation.AppendTurn ignored -> {}
      }
    }
  }

  private static void requireFact(
      Connection c, String conversation, String key, Map<String, Boolean> present)
      throws SQLException {
    if (!exists(c, conversation, key, present)) {
      throw new InvalidMutationException("fact \"" + key + "\" does not exist");
    }
  }

  private static boolean exists(
      Connection c, String conversation, String key, Map<String, Boolean> present)
      throws SQLException {
    Boolean known = present.get(key);
    if (known != null) {
      return known;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT op FROM memory_entries WHERE conversation = ? AND fact_key = ?"
                + " ORDER BY version DESC LIMIT 1")) {
      ps.setString(1, conversation);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        boolean exists = rs.next() && !"retract_fact".equals(rs.getString(1));
        present.put(key, exists);
        return exists;
      }
    }
  }

  private static long current(Connection c, String conversation) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT MAX(version) FROM memory_entries WHERE conversation = ?")) {
      ps.setString(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static Optional<MemoryWrite> recorded(Connection c, String conversation, String key)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version_before, version_after FROM memory_writes"
                + " WHERE conversation = ? AND effect_key = ?")) {
      ps.setString(1, conversation);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new MemoryWrite(conversation, rs.getLong(1), rs.getLong(2), false))
            : Optional.empty();
      }
    }
  }

  private static boolean uniqueViolation(SQLException e) {
    // A failed batch reports its cause as the next exception, not as the cause.
    for (SQLException sql = e; sql != null; sql = sql.getNextException()) {
      for (Throwable t = sql; t != null; t = t.getCause()) {
        if (t instanceof SQLException s
            && (UNIQUE_VIOLATION.equals(s.getSQLState())
                || (s.getMessage() != null && s.getMessage().contains("UNIQUE constraint")))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String op(MemoryMutation m) {
    return switch (m) {
      case MemoryMutation.AppendTurn ignored -> "append_turn";
      case MemoryMutation.AddFact ignored -> "add_fact";
      case MemoryMutation.ReplaceFact ignored -> "replace_fact";
      case MemoryMutation.RetractFact ignored -> "retract_fact";
      case MemoryMutation.Summarize ignored -> "summarize";
    };
  }

  private static String factKey(MemoryMutation m) {
    return switch (m) {
      case MemoryMutation.AddFact f -> f.key();
      case MemoryMutation.ReplaceFact f -> f.key();
      case MemoryMutation.RetractFact f -> f.key();
      default -> null;
    };
  }

  private static String json(MemoryMutation m) {
    try {
      return Json.mapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a mutation cannot be written as JSON", e);
    }
  }

  private static MemoryMutation mutation(String json) throws SQLException {
    try {
      return Json.mapper().readValue(json, MemoryMutation.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable memory mutation: " + e.getOriginalMessage(), e);
    }
  }
}
