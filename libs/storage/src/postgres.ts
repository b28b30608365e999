import pg from 'pg';
import type { Backend, QueryResult, Queryable, Session } from './database.ts';

export interface PostgresOptions {
  databaseUrl: string;
  schema?: string | undefined;
  onConnectionError?: ((error: Error) => void) | undefined;
}

// Without a limit, connecting to an address that drops packets waits forever, and so would the
// service's start.
const CONNECT_TIMEOUT_MS = 10_000;

type Client = pg.ClientBase;

/** PostgreSQL through a pool of connections. */
export function openPostgres({ databaseUrl, schema, onConnectionError }: PostgresOptions): Backend {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A startup option rather than a SET after connecting: it holds for every connection the pool
    // ever opens, reconnects included, before the first query. (An `options` parameter in the
    // URL would take precedence over it.)
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection that breaks (the server restarts) is dropped by the pool; the next query
  // opens a new one. Without a listener the error would end the process.
  pool.on('error', (error) => onConnectionError?.(error));
  let closing: Promise<void> | undefined;

  return {
    query: async (sql, params) => toResult(await pool.query(sql, params)),

    async transaction(fn) {
      const client = await pool.connect();
      let open = true;
      let reusable = true;
      // A `tx` kept after the transaction ended would send statements on a connection the pool
      // has since given to someone else, outside any transaction: refuse instead.
      const tx: Queryable = {
        async query(sql, params) {
          if (!open) throw new Error('This transaction has ended; use the database instead.');
          return toResult(await client.query(sql, params));
        },
      };
      try {
        return await inTransaction(
          client,
          () => fn(tx),
          () => (reusable = false),
        );
      } finally {
        open = false;
        client.release(!reusable);
      }
    },

    async ping() {
      await pool.query('SELECT 1');
    },

    close: () => (closing ??= pool.end()),

    async exclusive(fn) {
      const client = await pool.connect();
      try {
        // A session lock, held across all the migrations (each commits on its own), keyed by the
        // schema so that test runs in separate schemas do not wait for each other.
        await client.query(
          `SELECT pg_advisory_lock(hashtext('rds.migrations:' || coalesce($1, current_schema(), '')))`,
          [schema ?? null],
        );
        return await fn(sessionOf(client));
      } finally {
        // Closing the connection releases the lock, whatever state the work left it in; a
        // connection still holding it must never go back to the pool.
        client.release(true);
      }
    },
  };
}

function toResult<T>(result: pg.QueryResult): QueryResult<T> {
  return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
}

function sessionOf(client: Client): Session {
  const session: Session = {
    query: async (sql, params) => toResult(await client.query(sql, params)),
    async exec(script) {
      // Without parameters pg uses the simple query protocol, which takes several statements.
      await client.query(script);
    },
    transaction: (fn) => inTransaction(client, () => fn(session)),
  };
  return session;
}

/**
 * BEGIN, `work`, COMMIT on one connection; ROLLBACK when `work` throws. `onBroken` is called when
 * even the ROLLBACK fails: the connection is then in an unknown state and must be discarded.
 */
async function inTransaction<T>(
  client: Client,
  work: () => Promise<T>,
  onBroken: () => void = () => {},
): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(onBroken);
    throw error;
  }
}
