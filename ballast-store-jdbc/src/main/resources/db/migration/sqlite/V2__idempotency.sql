-- Client Idempotency-Keys: one row per (tenant, key); status and response are filled when the
-- claimed call completes. Times are epoch milliseconds.
CREATE TABLE idempotency_keys (
  tenant       TEXT    NOT NULL,
  idem_key     TEXT    NOT NULL,
  request_hash TEXT    NOT NULL,
  run_id       TEXT    NOT NULL,
  status       INTEGER,
  response     BLOB,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  PRIMARY KEY (tenant, idem_key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
