-- What a run does: send the files (`export`), or publish the drafts an earlier export left
-- complete (`publish-draft`).
ALTER TABLE runs ADD COLUMN action text NOT NULL DEFAULT 'export'
  CHECK (action IN ('export', 'publish-draft'));
-- What was left out of a target, and why (files it would refuse, skipped as its settings say).
ALTER TABLE run_targets ADD COLUMN note text;
