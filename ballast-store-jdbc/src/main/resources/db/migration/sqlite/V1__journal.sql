-- The run summary: one row per run, derived from journal_events (the events remain the truth).
-- Times are epoch microseconds so that comparisons and MIN() are exact and cheap.
CREATE TABLE runs (
  id             TEXT    NOT NULL PRIMARY KEY,
  tenant         TEXT,
  kind           TEXT,
  operation      TEXT,
  model          TEXT,
  status         TEXT    NOT NULL,
  started_at     INTEGER NOT NULL,
  ended_at       INTEGER,
  deployment     TEXT,
  response_model TEXT,
  error_class    TEXT,
  input_tokens   INTEGER NOT NULL DEFAULT 0,
  output_tokens  INTEGER NOT NULL DEFAULT 0,
  cost           REAL    NOT NULL DEFAULT 0,
  attempts       INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX runs_started_at ON runs (started_at);
CREATE INDEX runs_tenant_started_at ON runs (tenant, started_at);
CREATE INDEX runs_status_started_at ON runs (status, started_at);
CREATE INDEX runs_model_started_at ON runs (model, started_at);

-- No foreign key to runs: an event may legitimately arrive before the event that creates its run.
CREATE TABLE journal_events (
  run_id TEXT    NOT NULL,
  seq    INTEGER NOT NULL,
  at     INTEGER NOT NULL,
  type   TEXT    NOT NULL,
  body   TEXT    NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE blobs (
  hash    TEXT    NOT NULL PRIMARY KEY,
  size    INTEGER NOT NULL,
  content BLOB    NOT NULL
) WITHOUT ROWID;
