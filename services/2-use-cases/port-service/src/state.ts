import { createHash, randomBytes } from 'node:crypto';
import { ProblemError } from '@rds/kit';
import { derivedKeyRing, type KeyRing } from '@rds/secrets';

/** What the OAuth2 `state` carries through the user's browser and the provider, sealed. */
export interface AuthorizationState {
  /** Accepted once (token-storage remembers it). */
  id: string;
  tenant: string;
  user: string;
  service: string;
  /** A hash of the browser session that started the flow. */
  session: string;
  redirectUri: string;
  codeVerifier: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

const AAD = 'rds/port-service/oauth-state';

/**
 * Seals states with a key derived from the service secret: encrypted, so the PKCE verifier stays
 * hidden from whoever sees the redirect; authenticated, so nobody can forge or alter one.
 */
export function stateSealer(serviceSecret: string): KeyRing {
  return derivedKeyRing(serviceSecret, 'port-service oauth state');
}

export function sessionHash(session: string): string {
  return createHash('sha256').update(session).digest('base64url');
}

export function newState(
  fields: Omit<AuthorizationState, 'id' | 'codeVerifier' | 'expiresAt' | 'session'> & {
    session: string;
    ttlSeconds: number;
  },
): AuthorizationState {
  const { ttlSeconds, session, ...rest } = fields;
  return {
    ...rest,
    session: sessionHash(session),
    id: randomBytes(18).toString('base64url'),
    codeVerifier: randomBytes(48).toString('base64url'),
    expiresAt: Math.floor(Date.now() / 1000) + ttlSeconds,
  };
}

export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

const invalid = (detail: string, messageKey: string, status = 400) =>
  new ProblemError(status, { detail, messageKey });

/** Opens a state and checks it belongs to this user, tenant and browser session, and is not stale. */
export function openState(
  sealer: KeyRing,
  sealed: string,
  expected: { tenant: string; user: string; session: string },
): AuthorizationState {
  let state: AuthorizationState;
  try {
    state = JSON.parse(sealer.decrypt(sealed, AAD)) as AuthorizationState;
  } catch {
    throw invalid('The authorization state is not one RDS issued.', 'oauth.stateInvalid');
  }
  if (state.expiresAt * 1000 < Date.now()) {
    throw invalid('The authorization took too long; start connecting again.', 'oauth.stateExpired');
  }
  if (
    state.tenant !== expected.tenant ||
    state.user !== expected.user ||
    state.session !== sessionHash(expected.session)
  ) {
    throw invalid(
      'This authorization was started by someone else, or in another browser session.',
      'oauth.stateForeign',
      403,
    );
  }
  return state;
}

export function sealState(sealer: KeyRing, state: AuthorizationState): string {
  return sealer.encrypt(JSON.stringify(state), AAD);
}
