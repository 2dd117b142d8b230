-- The managed key that made a call (RunStarted.key_id), so that spend can be reported per key.
ALTER TABLE runs ADD COLUMN key_id TEXT;
