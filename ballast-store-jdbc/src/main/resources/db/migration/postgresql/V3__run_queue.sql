-- The durable run queue of pipelines (docs/queue.md).
-- available_at is when the run is next claimable; for a running run it equals lease_until, so one
-- index serves both fresh claims and the reclaim of expired leases.
CREATE TABLE run_queue (
  id               TEXT        NOT NULL PRIMARY KEY,
  seq              BIGINT      GENERATED ALWAYS AS IDENTITY,
  pipeline         TEXT        NOT NULL,
  pipeline_version TEXT        NOT NULL,
  tenant           TEXT        NOT NULL,
  priority         INTEGER     NOT NULL,
  idempotency_key  TEXT,
  state            TEXT        NOT NULL
    CHECK (state IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'dead')),
  available_at     TIMESTAMPTZ NOT NULL,
  lease_owner      TEXT,
  lease_until      TIMESTAMPTZ,
  fence            BIGINT      NOT NULL DEFAULT 0,
  stage_index      INTEGER     NOT NULL DEFAULT 0,
  attempts         INTEGER     NOT NULL DEFAULT 0,
  waiting_on       TEXT,
  failed_stage     TEXT,
  error            TEXT,
  input            BYTEA       NOT NULL,
  output           BYTEA,
  enqueued_at      TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
);

CREATE UNIQUE INDEX run_queue_idempotency ON run_queue (tenant, pipeline, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX run_queue_claimable ON run_queue (priority DESC, available_at, seq)
  WHERE state IN ('queued', 'running', 'waiting');
CREATE INDEX run_queue_state ON run_queue (state, available_at);
CREATE INDEX run_queue_waiting_on ON run_queue (waiting_on) WHERE waiting_on IS NOT NULL;

-- One row per completed stage; the primary key makes a stage's checkpoint unique.
CREATE TABLE run_stage_outputs (
  run_id      TEXT        NOT NULL REFERENCES run_queue (id),
  stage_index INTEGER     NOT NULL,
  stage       TEXT        NOT NULL,
  output      BYTEA       NOT NULL,
  fence       BIGINT      NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (run_id, stage_index)
);

-- The effects ledger: the primary key is what makes an effect recordable once.
CREATE TABLE run_effects (
  run_id      TEXT        NOT NULL REFERENCES run_queue (id),
  stage       TEXT        NOT NULL,
  effect_key  TEXT        NOT NULL,
  fence       BIGINT      NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (run_id, stage, effect_key)
);
