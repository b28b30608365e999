import { createHash } from 'node:crypto';
import { ProblemError } from '@rds/kit';
import { SERVICENAME, type DavSession } from './session.ts';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Who the user is at the server. ownCloud and Nextcloud say it over OCS; it may differ from the
 * login name (an e-mail address, an LDAP login). A plain WebDAV server has no OCS (404): there the
 * credentials' user id is the one. Kept briefly per token, so that a burst of calls asks once.
 */
export class UserIds {
  private readonly known = new Map<string, { id: string; until: number }>();

  async of(session: DavSession): Promise<string> {
    const cached = this.known.get(await keyOf(session));
    if (cached && cached.until > Date.now()) return cached.id;
    const id = (await askOcs(session)) ?? (await session.credentialsUser());
    if (!id) {
      throw new ProblemError(502, {
        detail: `${SERVICENAME} does not say who the user is, and the connection names no user id.`,
        messageKey: 'storage.userUnknown',
        args: { servicename: SERVICENAME },
      });
    }
    // Keyed by the token that worked: one renewed on the way is a new key.
    const key = await keyOf(session);
    this.known.delete(key);
    if (this.known.size >= MAX_ENTRIES) this.known.delete(this.known.keys().next().value!);
    this.known.set(key, { id, until: Date.now() + TTL_MS });
    return id;
  }
}

const keyOf = async (session: DavSession) =>
  createHash('sha256')
    .update(await session.authorization())
    .digest('base64url');

async function askOcs(session: DavSession): Promise<string | undefined> {
  const response = await session.send({
    method: 'GET',
    path: '/ocs/v2.php/cloud/user',
    query: { format: 'json' },
    headers: { 'ocs-apirequest': 'true', accept: 'application/json' },
  });
  if (response.status !== 200) {
    await response.body.dump();
    return undefined;
  }
  const answer = (await response.body.json().catch(() => undefined)) as
    { ocs?: { data?: { id?: unknown } } } | undefined;
  const id = answer?.ocs?.data?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
