import { mkdir } from 'node:fs/promises';
import { PGlite, types, type Results, type Transaction } from '@electric-sql/pglite';
import type { Backend, QueryResult, Session } from './database.ts';
import { lockFolder } from './folder-lock.ts';

export interface PgliteOptions {
  dataDir: string;
  schema?: string | undefined;
}

// Rows read the same as from PostgreSQL through pg, so that code tested on one runs on the other:
// bigint as a string (a JavaScript number loses precision above 2^53), bytea as a Buffer.
const PARSERS_LIKE_PG = {
  [types.INT8]: (value: string) => value,
  [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
};

/**
 * PostgreSQL embedded in the process (WASM), persisted in `dataDir`: for one-machine installs and
 * development, where running a database server is a burden. One connection, so statements and
 * transactions run one after another.
 */
export async function openPglite({ dataDir, schema }: PgliteOptions): Promise<Backend> {
  await mkdir(dataDir, { recursive: true });
  const release = await lockFolder(dataDir);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create(dataDir, { parsers: PARSERS_LIKE_PG });
    // The single connection keeps this setting for its whole life.
    if (schema) await db.exec(`SET search_path TO ${schema}`);
  } catch (error) {
    await db?.close();
    await release();
    throw error;
  }
  const opened: PGlite = db;
  let closing: Promise<void> | undefined;

  const session: Session = {
    query: async (sql, params) => toResult(await opened.query(sql, params)),
    async exec(script) {
      await opened.exec(script);
    },
    transaction: (fn) => opened.transaction((tx) => fn(transactionSession(tx))),
  };

  return {
    query: session.query,
    // PGlite's own transactions hold its lock for the whole of `fn`: statements from elsewhere
    // in the process wait instead of landing inside the transaction on the one connection.
    transaction: (fn) => opened.transaction((tx) => fn(transactionSession(tx))),
    async ping() {
      await opened.query('SELECT 1');
    },
    close: () => (closing ??= opened.close().finally(release)),
    // The folder lock keeps every other process out, so there is no other opener to lock out.
    exclusive: (fn) => fn(session),
  };
}

function transactionSession(tx: Transaction): Session {
  const session: Session = {
    query: async (sql, params) => toResult(await tx.query(sql, params)),
    async exec(script) {
      await tx.exec(script);
    },
    transaction: (fn) => fn(session),
  };
  return session;
}

function toResult<T>(result: Results): QueryResult<T> {
  // PGlite counts only the rows a statement changed; pg also counts the rows a SELECT returned.
  return { rows: result.rows as T[], rowCount: result.affectedRows || result.rows.length };
}
