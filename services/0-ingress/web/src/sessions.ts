import { createHash } from 'node:crypto';
import type { Database } from '@rds/storage';

/** Who a session is for, and until when (seconds since the epoch). */
export interface SessionRecord {
  id: string;
  user: string;
  tenant: string;
  expiresAt: number;
}

const hashOf = (id: string) => createHash('sha256').update(`web session ${id}`).digest('base64url');

/**
 * The sessions that are live: the server's side of the sealed session cookies, which alone could
 * not be taken back before they expire.
 */
export class SessionStore {
  constructor(private readonly db: Database) {}

  /** Records a new session; sessions that have expired meanwhile are forgotten. */
  async begin(session: SessionRecord): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE expires_at < now()');
    await this.db.query(
      'INSERT INTO sessions (id_hash, tenant, user_id, expires_at) VALUES ($1, $2, $3, to_timestamp($4))',
      [hashOf(session.id), session.tenant, session.user, session.expiresAt],
    );
  }

  async isLive(session: SessionRecord): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'SELECT 1 FROM sessions WHERE id_hash = $1 AND tenant = $2 AND user_id = $3 AND expires_at > now()',
      [hashOf(session.id), session.tenant, session.user],
    );
    return rowCount > 0;
  }

  async end(session: SessionRecord): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE id_hash = $1', [hashOf(session.id)]);
  }

  /** Signs the user out everywhere: every browser's session ends. */
  async endAll(session: SessionRecord): Promise<number> {
    const { rowCount } = await this.db.query(
      'DELETE FROM sessions WHERE tenant = $1 AND user_id = $2',
      [session.tenant, session.user],
    );
    return rowCount;
  }
}
