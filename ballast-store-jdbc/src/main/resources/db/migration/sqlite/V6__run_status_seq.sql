-- The journal sequence number of the event that set the run summary's status, ended_at and
-- error_class: RunCompleted, RunFailed, RunDead or RunResumed. A batch's status wins only over
-- a lower one, so a resumed run reads `running` again after its RunDead, and an end after the
-- resume wins over both, whatever order the batches arrive in. -1: no such event yet.
ALTER TABLE runs ADD COLUMN status_seq INTEGER NOT NULL DEFAULT -1;
