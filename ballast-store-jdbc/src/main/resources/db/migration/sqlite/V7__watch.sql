-- Watch (docs/watch.md). Per-minute aggregates of its signals: one row per minute, series, signal
-- and node, rewritten by its node while late runs arrive; the rows of every node add up to the
-- cluster's minute, from which every node reads the same baseline. Minutes are since the epoch.
CREATE TABLE watch_minutes (
  minute     INTEGER NOT NULL,
  series     TEXT    NOT NULL,
  signal     TEXT    NOT NULL,
  node       TEXT    NOT NULL,
  n          INTEGER NOT NULL,
  total      REAL    NOT NULL,
  total_sq   REAL    NOT NULL,
  histogram  TEXT    NOT NULL,
  PRIMARY KEY (minute, series, signal, node)
);

-- Alerts: one row per episode. The partial unique index is the invariant that at most one alert
-- per series and signal is open, whichever node saw the change first. seq counts the alert's
-- journal events (its id is their run id). Times are epoch microseconds, as in `runs`.
CREATE TABLE watch_alerts (
  id             TEXT    PRIMARY KEY,
  series         TEXT    NOT NULL,
  signal         TEXT    NOT NULL,
  kind           TEXT    NOT NULL,
  state          TEXT    NOT NULL,
  severity       TEXT    NOT NULL,
  title          TEXT    NOT NULL,
  opened_at      INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  resolved_at    INTEGER,
  onset_at       INTEGER,
  baseline_value REAL,
  current_value  REAL,
  unit           TEXT,
  samples        INTEGER NOT NULL,
  last_good_run  TEXT,
  first_bad_run  TEXT,
  details        TEXT    NOT NULL,
  diff           TEXT    NOT NULL,
  seq            INTEGER NOT NULL
);
CREATE UNIQUE INDEX watch_alerts_one_open ON watch_alerts (series, signal) WHERE state = 'open';
CREATE INDEX watch_alerts_opened_at ON watch_alerts (opened_at);
