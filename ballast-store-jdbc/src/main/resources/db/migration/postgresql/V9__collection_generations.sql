-- One record per committed generation of a collection (docs/state.md, invariant 10): what it
-- changed and a content checksum chained over every generation before it, so that a node can tell
-- whether an index snapshot on its disk was built from this database's content without reading the
-- chunks. A record is written in the commit's transaction and never changes. Generations committed
-- before this table existed get their record computed from the chunk rows on first request.
CREATE TABLE collection_generations (
  collection    TEXT        NOT NULL REFERENCES collections (name),
  generation    BIGINT      NOT NULL,
  added         INTEGER     NOT NULL,
  retired       INTEGER     NOT NULL,
  total_added   BIGINT      NOT NULL,
  total_retired BIGINT      NOT NULL,
  digest        TEXT        NOT NULL,
  chain         TEXT        NOT NULL,
  committed_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (collection, generation)
);
