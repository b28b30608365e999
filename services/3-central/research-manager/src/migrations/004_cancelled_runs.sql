-- A run the user cancelled ends `cancelled`, not `failed`: what it had not sent was not tried.
ALTER TABLE runs DROP CONSTRAINT runs_state_check;
ALTER TABLE runs ADD CONSTRAINT runs_state_check
  CHECK (state IN ('running', 'done', 'failed', 'cancelled'));
-- The status its context had as the run started, which a cancelled run gives back when it was
-- `exported` (that export's record still stands). NULL for runs started before this column.
ALTER TABLE runs ADD COLUMN started_from text
  CHECK (started_from IN ('ready', 'failed', 'exported'));
