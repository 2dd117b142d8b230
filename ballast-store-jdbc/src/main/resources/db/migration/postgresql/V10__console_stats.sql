-- One row per provider attempt, copied from each ProviderAttempt event in the transaction that
-- appends it (JournalAppend), so that per-deployment statistics read narrow rows instead of
-- parsing a million journal events. Derived from the journal like `runs`; the events remain the
-- truth. Written exactly once per event: only an event whose (run_id, seq) row was newly inserted
-- adds its attempt row. tenant and model come from the run's RunStarted; when that event arrives
-- after the attempt (one went through the spool), they are filled in when it does.
CREATE TABLE provider_attempts (
  run_id        TEXT             NOT NULL,
  seq           INTEGER          NOT NULL,
  at            TIMESTAMPTZ      NOT NULL,
  tenant        TEXT,
  model         TEXT,
  deployment    TEXT             NOT NULL,
  outcome       TEXT             NOT NULL,
  latency_ms    DOUBLE PRECISION NOT NULL,
  ttft_ms       DOUBLE PRECISION,
  input_tokens  INTEGER          NOT NULL DEFAULT 0,
  output_tokens INTEGER          NOT NULL DEFAULT 0,
  cost          DOUBLE PRECISION NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, seq)
);

CREATE INDEX provider_attempts_at ON provider_attempts (at);
CREATE INDEX provider_attempts_tenant_at ON provider_attempts (tenant, at);
-- Partial indexes for the statistics' second reads: the failed attempts by error class, and the
-- streamed ones for a group's time to first token, without scanning every attempt again.
CREATE INDEX provider_attempts_failed ON provider_attempts (at) WHERE outcome <> 'ok';
CREATE INDEX provider_attempts_streamed ON provider_attempts (at) WHERE ttft_ms IS NOT NULL;

-- Keyset pagination of the run list orders by (started_at DESC, id DESC): with the id in the
-- index a page is one index seek and a walk of `limit` entries, with no sort, at any depth.
CREATE INDEX runs_started_at_id ON runs (started_at, id);
CREATE INDEX runs_tenant_started_at_id ON runs (tenant, started_at, id);
DROP INDEX runs_started_at;
DROP INDEX runs_tenant_started_at;
