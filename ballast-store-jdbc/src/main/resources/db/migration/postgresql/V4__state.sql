-- Versioned state (docs/state.md). Times are timestamptz.

-- A run's pins (StatePins as JSON): the memory version and collection generations it reads.
ALTER TABLE run_queue ADD COLUMN pins TEXT;

-- A collection and the model that made every vector in it; generation is the last committed.
CREATE TABLE collections (
  name            TEXT    NOT NULL PRIMARY KEY,
  embedding_model TEXT    NOT NULL,
  dimension       INTEGER NOT NULL,
  generation      BIGINT  NOT NULL DEFAULT 0,
  updated_at      TIMESTAMPTZ NOT NULL
);

-- A chunk is live at generation g when from_generation <= g < to_generation (to NULL: still live).
-- Rows never change except to_generation, set once when a later generation retires the chunk.
CREATE TABLE chunks (
  collection      TEXT    NOT NULL REFERENCES collections (name),
  id              TEXT    NOT NULL,
  document_id     TEXT    NOT NULL,
  title           TEXT,
  content_type    TEXT,
  ordinal         INTEGER NOT NULL,
  text            TEXT    NOT NULL,
  content_hash    TEXT    NOT NULL,
  headings        TEXT    NOT NULL,
  from_generation BIGINT  NOT NULL,
  to_generation   BIGINT ,
  vector          BYTEA   NOT NULL,
  PRIMARY KEY (collection, id)
);
CREATE INDEX chunks_live_by_document ON chunks (collection, document_id)
  WHERE to_generation IS NULL;
CREATE INDEX chunks_by_from ON chunks (collection, from_generation);
CREATE INDEX chunks_by_to ON chunks (collection, to_generation) WHERE to_generation IS NOT NULL;

-- Conversation memory: an append-only log; the primary key is what makes a version writable once.
CREATE TABLE memory_entries (
  conversation TEXT    NOT NULL,
  version      BIGINT  NOT NULL,
  op           TEXT    NOT NULL,
  fact_key     TEXT,
  mutation     TEXT    NOT NULL,
  effect_key   TEXT,
  at           TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (conversation, version)
);
CREATE INDEX memory_entries_facts ON memory_entries (conversation, fact_key, version)
  WHERE fact_key IS NOT NULL;

-- One row per write that carried an effect key: a retried write finds it and applies nothing.
CREATE TABLE memory_writes (
  conversation   TEXT    NOT NULL,
  effect_key     TEXT    NOT NULL,
  version_before BIGINT  NOT NULL,
  version_after  BIGINT  NOT NULL,
  PRIMARY KEY (conversation, effect_key)
);
