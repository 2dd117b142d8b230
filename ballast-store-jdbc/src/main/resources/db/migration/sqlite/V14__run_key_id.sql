-- The managed key that made a call (RunStarted.key_id), so that spend can be reported per key;
-- copied to its attempts like tenant and model, so the report reads attempts without a join.
ALTER TABLE runs ADD COLUMN key_id TEXT;
ALTER TABLE provider_attempts ADD COLUMN key_id TEXT;
