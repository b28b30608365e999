/**
 * Database access for the stateful (layer-3) RDS services: PostgreSQL when a URL is configured,
 * embedded PGlite otherwise, one interface and one SQL dialect for both, and versioned migrations
 * applied at open.
 */
export { FolderInUseError } from './folder-lock.ts';
export { openDatabase } from './open.ts';
export { DATABASE_SETTINGS, openServiceDatabase, serviceDatabase } from './service-database.ts';
export type { DatabaseSettings } from './service-database.ts';
export type { OpenDatabaseOptions } from './open.ts';
export type { Database, Queryable, QueryResult } from './database.ts';
