-- The repository interface was registered as `metadata`, the original RDS's name for it and the
-- name of RDS's metadata service. It is `repository` now; registrations that still send
-- `metadata` are kept as `repository` (registry.ts, readRegistration).
UPDATE services
   SET implements = array_replace(implements, 'metadata', 'repository')
 WHERE 'metadata' = ANY (implements);
