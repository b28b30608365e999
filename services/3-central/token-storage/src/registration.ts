import { createHash, timingSafeEqual } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ProblemError } from '@rds/kit';
import type { KeyRing } from '@rds/secrets';
import type { Queryable } from '@rds/storage';
import { columnsOf, saveService, storedRegistration, type Registration } from './registry.ts';

/**
 * A registration without a service token (where `RDS_ALLOW_ANONYMOUS_REGISTRATION` allows it,
 * as the seed's snippet sends it). Anyone who reaches token-storage can send one, so it may only
 * register a name nobody holds, repeat a registration as it is (nothing changes), or change one
 * by proving to be its registrant with the registered client secret (URLs, `implements`, display
 * fields; the secret itself is rotated with a service token). Anything else would let a
 * stranger point a service's token endpoint at their own server and collect users' refresh
 * tokens at the next refresh.
 */
export async function registerAnonymously(
  db: Queryable,
  keys: KeyRing,
  tenant: string,
  registration: Registration,
): Promise<void> {
  for (;;) {
    const stored = await storedRegistration(db, keys, tenant, registration.servicename);
    if (!stored) {
      if (await saveService(db, keys, tenant, registration, 'new')) return;
      // Another registration of the name came first: this one is judged against it.
      continue;
    }
    const sameSecret = secretsMatch(stored.clientSecret, registration.client_secret);
    if (sameSecret && isDeepStrictEqual(stored.columns, columnsOf(registration))) return;
    if (!sameSecret || stored.clientSecret === undefined)
      throw changeRefused(registration.servicename);
    await saveService(db, keys, tenant, registration, 'replace');
    return;
  }
}

/**
 * RDS's own services of layers 0, 2 and 3, and the operator. A use case calls a port by the name
 * a context gives, once the registry says a port of that name implements what the call needs
 * (libs/ports callees.ts): a registration named `research-manager` would make the exporter call
 * research-manager for files.
 */
const NOT_PORTS = new Set([
  'web',
  'port-service',
  'metadata',
  'exporter',
  'research',
  'research-manager',
  'token-storage',
  'operator',
]);

/** Refuses a registration under the name of one of RDS's own services, whoever sends it. */
export function refuseNameOfRds(name: string): void {
  if (!NOT_PORTS.has(name)) return;
  throw new ProblemError(422, {
    detail: `${name} is a service of RDS itself, not a port: a port registers under a name of its own.`,
    messageKey: 'registration.reservedName',
    args: { servicename: name },
  });
}

/** Both none, or equal: compared in constant time, so that timing shows nothing of a guess. */
function secretsMatch(stored: string | undefined, sent: string | undefined): boolean {
  if (stored === undefined || sent === undefined) return stored === sent;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(stored), digest(sent));
}

function changeRefused(name: string): ProblemError {
  return new ProblemError(403, {
    detail:
      `${name} is registered already, and this registration would change it. Without a service ` +
      `token, a registration may change only with the registered client secret. To rotate the ` +
      `client secret, or to change a service registered without one, register with a service ` +
      `token of ${name} (a port sends its own; by hand: rds token --service ${name} --audience ` +
      `token-storage) or of operator.`,
    messageKey: 'registration.changeRefused',
    args: { servicename: name },
  });
}
