/** What a stateful RDS service sees of its database, whichever engine is behind it. */

export interface QueryResult<T> {
  rows: T[];
  /** Rows returned or changed; 0 for statements that touch none (DDL). */
  rowCount: number;
}

/** Something SQL can be sent to: the database, or one transaction in it. */
export interface Queryable {
  /** One statement, with `$1`, `$2`… placeholders for `params`. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Database extends Queryable {
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws (the
   * error is rethrown). Send every statement of the transaction through `tx`, not through the
   * database: on PostgreSQL the database would use another connection, outside the transaction,
   * and on PGlite it would wait for the transaction to end, forever.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Rejects when the database does not answer: for readiness checks. */
  ping(): Promise<void>;
  /** Closes every connection; the database cannot be used afterwards. */
  close(): Promise<void>;
}

/**
 * A connection of its own, for work that must not be interleaved with other callers': running
 * migrations under a lock. `exec` runs a script of several statements, which `query` cannot.
 */
export interface Session extends Queryable {
  exec(script: string): Promise<void>;
  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T>;
}

/** A database engine as {@link openDatabase} drives it. */
export interface Backend extends Database {
  /**
   * Runs `fn` on a session while holding the lock that keeps every other opener of the same
   * database (and schema) from migrating at the same time.
   */
  exclusive<T>(fn: (session: Session) => Promise<T>): Promise<T>;
}

// Schema names go into SQL and into a connection option, where they cannot be parameters: only
// plain lower-case identifiers, which need no quoting anywhere.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `Invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _ (at most 63).`,
    );
  }
  return schema;
}
