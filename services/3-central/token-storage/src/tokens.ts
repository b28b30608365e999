import type { KeyRing } from '@rds/secrets';
import type { Database } from '@rds/storage';
import {
  markNeedsReconnection,
  needsReconnection,
  notConnected,
  open,
  readConnection,
  saveRefreshed,
  type ConnectionKey,
  type ConnectionRow,
  type Token,
} from './connections.ts';
import { GrantRefused, type OAuthProvider } from './oauth.ts';
import { oauthClient } from './registry.ts';

export interface TokenVault {
  db: Database;
  keys: KeyRing;
  provider: OAuthProvider;
  /** Tokens expiring within this many seconds are refreshed before they are handed out. */
  refreshMarginSeconds: number;
}

/** The user's current token for a service, refreshed first when it is about to expire. */
export async function currentToken(vault: TokenVault, key: ConnectionKey): Promise<Token> {
  const row = await readConnection(vault.db, key);
  if (!row) throw notConnected(key.service);
  if (row.state === 'needs-reconnection') throw needsReconnection(key.service);
  if (!expiresSoon(row, vault.refreshMarginSeconds)) return toToken(vault.keys, key, row);
  // Refresh unless another request (on any replica) did while this one waited for the lock: a
  // provider whose tokens live no longer than the margin would otherwise be asked once per waiter.
  return refreshLocked(
    vault,
    key,
    (locked) =>
      expiresSoon(locked, vault.refreshMarginSeconds) &&
      locked.access_token_sealed === row.access_token_sealed,
  );
}

/** A fresh token after the service refused `rejected`; refreshes only if nobody did already. */
export async function tokenAfterRejection(
  vault: TokenVault,
  key: ConnectionKey,
  rejected: string,
): Promise<Token> {
  return refreshLocked(
    vault,
    key,
    (locked) => open(vault.keys, key, 'access_token', locked.access_token_sealed) === rejected,
  );
}

/**
 * Refreshes under a row lock, so that of all replicas asking at once one refreshes and the others
 * wait and then read its result: providers rotate refresh tokens, and a second refresh with the
 * old one would be refused (`invalid_grant`). A refused refresh marks the connection as needing
 * reconnection; it is never deleted.
 */
async function refreshLocked(
  vault: TokenVault,
  key: ConnectionKey,
  stillNeeded: (row: ConnectionRow) => boolean,
): Promise<Token> {
  const outcome = await vault.db.transaction(async (tx) => {
    const row = await readConnection(tx, key, true);
    if (!row) return 'missing' as const;
    if (row.state === 'needs-reconnection') return 'refused' as const;
    if (!stillNeeded(row)) return toToken(vault.keys, key, row);
    const refreshToken = open(vault.keys, key, 'refresh_token', row.refresh_token_sealed);
    const client = await oauthClient(tx, vault.keys, key.tenant, key.service);
    if (row.kind === 'credentials' || !refreshToken || !client) {
      await markNeedsReconnection(tx, key);
      return 'refused' as const;
    }
    try {
      const answer = await vault.provider.refresh(client, refreshToken);
      return toToken(vault.keys, key, await saveRefreshed(tx, vault.keys, key, answer, row));
    } catch (error) {
      if (!(error instanceof GrantRefused)) throw error;
      await markNeedsReconnection(tx, key);
      return 'refused' as const;
    }
  });
  if (outcome === 'missing') throw notConnected(key.service);
  if (outcome === 'refused') throw needsReconnection(key.service);
  return outcome;
}

function expiresSoon(row: ConnectionRow, marginSeconds: number): boolean {
  if (row.kind !== 'oauth2' || row.expires_at === null) return false;
  return new Date(row.expires_at).getTime() - Date.now() < marginSeconds * 1000;
}

function toToken(keys: KeyRing, key: ConnectionKey, row: ConnectionRow): Token {
  if (row.kind === 'credentials') {
    return {
      servicename: key.service,
      kind: 'credentials',
      ...(row.username ? { userId: row.username } : {}),
      password: open(keys, key, 'password', row.password_sealed) ?? '',
    };
  }
  return {
    servicename: key.service,
    kind: 'oauth2',
    access_token: open(keys, key, 'access_token', row.access_token_sealed) ?? '',
    token_type: 'Bearer',
    ...(row.expires_at ? { expiresAt: new Date(row.expires_at).toISOString() } : {}),
    ...(row.scope ? { scope: row.scope } : {}),
  };
}
