-- The nodes sharing the store, each as it last announced itself (docs/cluster.md): its role and
-- the configuration version it runs, so that status on any node lists every node's version.
-- Times are epoch milliseconds.
CREATE TABLE nodes (
  node_id          TEXT   PRIMARY KEY,
  role             TEXT   NOT NULL,
  config_version   TEXT   NOT NULL,
  config_loaded_at BIGINT NOT NULL,
  started_at       BIGINT NOT NULL,
  seen_at          BIGINT NOT NULL
);
