package dev.ballast.store.internal;

import dev.ballast.core.config.CanaryConfig;
import dev.ballast.core.journal.RunQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Builds the listing query from a {@link RunQuery}: only the set filters become predicates. */
final class RunQuerySql {
  private final List<String> predicates = new ArrayList<>();
  private final List<Binder> binders = new ArrayList<>();

  private interface Binder {
    void bind(PreparedStatement ps, int index) throws SQLException;
  }

  RunQuerySql(Dialect dialect, RunQuery query) {
    text("tenant = ?", query.tenant());
    if (query.tenant() == null) {
      // Ballast's own runs (canaries, index embeddings) are listed only when asked for by their
      // tenant's name. A run whose start has not arrived yet has no tenant and stays listed.
      text("(tenant IS NULL OR tenant <> ?)", CanaryConfig.TENANT);
    }
    text("model = ?", query.model());
    text("status = ?", query.status() == null ? null : query.status().wireName());
    text("error_class = ?", query.errorClass());
    text("kind = 'pipeline' AND operation = ?", query.pipeline());
    if (query.since() != null) {
      add("started_at >= ?", (ps, i) -> dialect.setInstant(ps, i, query.since()));
    }
    if (query.until() != null) {
      add("started_at < ?", (ps, i) -> dialect.setInstant(ps, i, query.until()));
    }
    if (query.after() != null) {
      // A row-value comparison, which both backends answer with a seek on (started_at, id).
      add(
          "(started_at, id) < (?, ?)",
          (ps, i) -> dialect.setInstant(ps, i, query.after().startedAt()),
          (ps, i) -> ps.setString(i, query.after().id()));
    }
    add(null, (ps, i) -> ps.setInt(i, query.limit()));
  }

  private void text(String predicate, String value) {
    if (value != null) {
      add(predicate, (ps, i) -> ps.setString(i, value));
    }
  }

  private void add(String predicate, Binder... parameters) {
    if (predicate != null) {
      predicates.add(predicate);
    }
    binders.addAll(List.of(parameters));
  }

  /** Newest first; the id breaks ties so that pages are stable. */
  String sql() {
    String where = predicates.isEmpty() ? "" : " WHERE " + String.join(" AND ", predicates);
    return "SELECT * FROM runs" + where + " ORDER BY started_at DESC, id DESC LIMIT ?";
  }

  void bind(PreparedStatement ps) throws SQLException {
    for (int i = 0; i < binders.size(); i++) {
      binders.get(i).bind(ps, i + 1);
    }
  }
}
