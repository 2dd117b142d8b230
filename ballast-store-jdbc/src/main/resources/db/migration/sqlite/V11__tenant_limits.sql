-- Tenant limits shared by every node of the store (docs/limits.md). Usage per tenant, limit kind
-- (requests, tokens, spend) and epoch second (0 for spend, which never leaves its window); spend
-- is in nano-dollars. Each node holds at most one lease per tenant and kind; expires_at is in epoch
-- milliseconds.
CREATE TABLE limit_usage (
  tenant    TEXT   NOT NULL,
  kind      TEXT   NOT NULL,
  at_second BIGINT NOT NULL,
  used      BIGINT NOT NULL,
  PRIMARY KEY (tenant, kind, at_second)
);

CREATE TABLE limit_leases (
  tenant     TEXT   NOT NULL,
  kind       TEXT   NOT NULL,
  node_id    TEXT   NOT NULL,
  amount     BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, kind, node_id)
);

-- A tenant's pending runs, counted for its queue quota (limits.max_queued_runs).
CREATE INDEX run_queue_tenant_pending ON run_queue (tenant) WHERE state IN ('queued', 'waiting');
