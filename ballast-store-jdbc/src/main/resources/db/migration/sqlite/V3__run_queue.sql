-- The durable run queue of pipelines (docs/queue.md). Times are epoch microseconds.
-- available_at is when the run is next claimable; for a running run it equals lease_until, so one
-- index serves both fresh claims and the reclaim of expired leases.
CREATE TABLE run_queue (
  seq              INTEGER PRIMARY KEY,
  id               TEXT    NOT NULL UNIQUE,
  pipeline         TEXT    NOT NULL,
  pipeline_version TEXT    NOT NULL,
  tenant           TEXT    NOT NULL,
  priority         INTEGER NOT NULL,
  idempotency_key  TEXT,
  state            TEXT    NOT NULL
    CHECK (state IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'dead')),
  available_at     INTEGER NOT NULL,
  lease_owner      TEXT,
  lease_until      INTEGER,
  fence            INTEGER NOT NULL DEFAULT 0,
  stage_index      INTEGER NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 0,
  waiting_on       TEXT,
  failed_stage     TEXT,
  error            TEXT,
  input            BLOB    NOT NULL,
  output           BLOB,
  enqueued_at      INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);

CREATE UNIQUE INDEX run_queue_idempotency ON run_queue (tenant, pipeline, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX run_queue_claimable ON run_queue (priority DESC, available_at, seq)
  WHERE state IN ('queued', 'running', 'waiting');
CREATE INDEX run_queue_state ON run_queue (state, available_at);
CREATE INDEX run_queue_waiting_on ON run_queue (waiting_on) WHERE waiting_on IS NOT NULL;

-- One row per completed stage; the primary key makes a stage's checkpoint unique.
CREATE TABLE run_stage_outputs (
  run_id      TEXT    NOT NULL REFERENCES run_queue (id),
  stage_index INTEGER NOT NULL,
  stage       TEXT    NOT NULL,
  output      BLOB    NOT NULL,
  fence       INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, stage_index)
);

-- The effects ledger: the primary key is what makes an effect recordable once.
CREATE TABLE run_effects (
  run_id      TEXT    NOT NULL REFERENCES run_queue (id),
  stage       TEXT    NOT NULL,
  effect_key  TEXT    NOT NULL,
  fence       INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, stage, effect_key)
);
