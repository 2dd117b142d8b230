-- Take-over first (docs/queue.md, invariant 1): a claim looks for a running run whose lease has
-- lapsed before it walks run_queue_claimable. Running rows are few (one per busy worker slot in the
-- cluster), so this partial index stays small; its order is the order lapsed runs are taken over.
CREATE INDEX run_queue_lapsed ON run_queue (priority DESC, lease_until, seq) WHERE state = 'running';
