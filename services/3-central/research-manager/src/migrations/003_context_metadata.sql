-- The research's description (RDS's canonical metadata), as the user last saved it; NULL until then.
ALTER TABLE contexts ADD COLUMN metadata jsonb;
