-- When the run held by the current lease had become claimable (enqueued, retry due, resumed, or
-- its previous lease expired): the claim copies the old available_at here, so the engine can
-- journal how long the run waited in the queue. Null before the first claim.
ALTER TABLE run_queue ADD COLUMN ready_at TIMESTAMPTZ;
