-- Managed virtual keys (docs/security.md): only the key's hash is kept, made like a configuration
-- key's (sha256:<hex>). A row is never deleted: revocation sets revoked_at, so a revoked hash is
-- never honoured or issued again. models and pipelines are JSON arrays, NULL for "any"; the limits
-- are zero for "none of the key's own". Times are epoch milliseconds.
CREATE TABLE managed_keys (
  key_id     TEXT             PRIMARY KEY,
  key_hash   TEXT             NOT NULL UNIQUE,
  hint       TEXT             NOT NULL,
  tenant     TEXT             NOT NULL,
  name       TEXT,
  admin      INTEGER          NOT NULL,
  models     TEXT,
  pipelines  TEXT,
  rpm        INTEGER          NOT NULL,
  tpm        INTEGER          NOT NULL,
  budget_usd DOUBLE PRECISION NOT NULL,
  created_by TEXT             NOT NULL,
  created_at BIGINT           NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX managed_keys_tenant ON managed_keys (tenant, created_at);
