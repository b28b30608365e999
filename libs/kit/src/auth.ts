import { createSigner, createVerifier } from 'fast-jwt';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { ProblemError } from './problems.ts';
import { DEFAULT_TENANT, safeId } from './context.ts';

/** Service tokens live at most this long (seconds): a stolen one is soon useless. */
export const MAX_TOKEN_LIFETIME = 300;
const DEFAULT_LIFETIME = 120;
/**
 * How far apart the clocks of two services may be (seconds): a token is taken this long after it
 * expired, and with an `iat` this far ahead. Further ahead would stretch its lifetime.
 */
export const CLOCK_SKEW = 30;

export interface ServiceTokenClaims {
  /** The calling service. */
  iss: string;
  /** The called service. */
  aud: string;
  /** The user the call acts for. */
  sub?: string;
  tenant?: string;
  exp: number;
  iat: number;
}

export interface TokenRequest {
  issuer: string;
  audience: string;
  user?: string | undefined;
  tenant?: string | undefined;
  /** Seconds; at most {@link MAX_TOKEN_LIFETIME}. */
  lifetime?: number;
}

/** Signs short-lived HS256 service tokens (`RDS_SERVICE_SECRET`). */
export function createTokenSigner(secret: string): (request: TokenRequest) => string {
  const sign = createSigner({ key: secret, algorithm: 'HS256' });
  return ({ issuer, audience, user, tenant, lifetime = DEFAULT_LIFETIME }) => {
    const seconds = Math.min(lifetime, MAX_TOKEN_LIFETIME);
    const iat = Math.floor(Date.now() / 1000);
    return sign({
      iss: issuer,
      aud: audience,
      ...(user ? { sub: user } : {}),
      tenant: tenant ?? DEFAULT_TENANT,
      iat,
      exp: iat + seconds,
    });
  };
}

const unauthorized = (detail: string) =>
  new ProblemError(401, {
    detail,
    messageKey: 'auth.unauthorized',
    headers: { 'www-authenticate': 'Bearer realm="rds"' },
  });

const forbidden = (detail: string) =>
  new ProblemError(403, { detail, messageKey: 'auth.forbidden' });

const CACHE_SIZE = 10_000;

/**
 * Verifies the service token of an inbound request: signature, `aud` exactly this service (one
 * string, not a list naming it), expiry, issued no later than now (give or take the clock skew),
 * and a lifetime no longer than five minutes. A verified token is remembered by its own text until it
 * expires, so a busy caller costs one HMAC per token, not per request (fast-jwt's cache would
 * hash every token to find it, which cost more than the HMAC it saves).
 */
export function createTokenVerifier(secret: string, audience: string) {
  const verify = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedAud: audience,
    requiredClaims: ['iss', 'aud', 'exp', 'iat'],
    clockTolerance: CLOCK_SKEW,
  });
  const verified = new Map<string, ServiceTokenClaims>();
  return (token: string): ServiceTokenClaims => {
    const known = verified.get(token);
    if (known && known.exp + CLOCK_SKEW > Date.now() / 1000) return known;
    let claims: ServiceTokenClaims;
    try {
      claims = verify(token) as ServiceTokenClaims;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === 'FAST_JWT_INVALID_CLAIM_VALUE')
        throw forbidden('The service token is not meant for this service.');
      if (code === 'FAST_JWT_EXPIRED') throw unauthorized('The service token has expired.');
      throw unauthorized('The service token is not valid.');
    }
    if (claims.aud !== audience)
      throw forbidden('The service token is not meant for this service.');
    if (claims.iat > Date.now() / 1000 + CLOCK_SKEW)
      throw unauthorized(
        'The service token is issued in the future: check the clock of its issuer.',
      );
    if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME) {
      throw unauthorized(`Service tokens may live at most ${MAX_TOKEN_LIFETIME} seconds.`);
    }
    // Oldest first out: a Map keeps insertion order.
    if (verified.size >= CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, claims);
    return claims;
  };
}

/**
 * The tenant and user a call acts for. What the services keep is always some user's, so a
 * service token that names no user (`sub`) is refused.
 */
export function actingUser(request: Pick<FastifyRequest, 'rds'>): {
  tenant: string;
  user: string;
} {
  const { tenant, user } = request.rds;
  if (!user)
    throw new ProblemError(403, {
      detail: 'This call acts for no user; its service token needs a subject (sub).',
      messageKey: 'auth.noUser',
    });
  return { tenant, user };
}

/**
 * The hook that checks an operation's service token: the scheme `serviceToken`, whose scopes in a
 * contract name the services allowed to call the operation (none: any RDS service). An
 * operation in the service's anonymous operations (its choice at start, from its settings) also
 * takes calls without a token, in the default tenant only; a token that is sent is still checked. The hook is synchronous and
 * runs before the body is read: fastify-openapi-glue's security handlers are async, and their
 * promises cost every request more than the check itself (bench/kit-overhead).
 */
export function serviceTokenHook(
  verify: (token: string) => ServiceTokenClaims,
  allowedCallers: readonly string[],
  anonymous: boolean,
): onRequestHookHandler {
  return (request, _reply, done) => {
    try {
      checkServiceToken(verify, request, allowedCallers, anonymous);
    } catch (error) {
      return done(error as Error);
    }
    done();
  };
}

function checkServiceToken(
  verify: (token: string) => ServiceTokenClaims,
  request: FastifyRequest,
  allowedCallers: readonly string[],
  anonymous: boolean,
): void {
  const header = request.headers.authorization;
  const tenantHeader = request.headers['x-tenant'];
  if (header === undefined && anonymous) {
    // Nobody vouches for the tenant of an anonymous call: it may act in the default tenant only.
    if (tenantHeader !== undefined && tenantHeader !== DEFAULT_TENANT)
      throw forbidden(
        `A call without a service token acts in the ${DEFAULT_TENANT} tenant only; for another tenant, send a service token naming it.`,
      );
    return;
  }
  if (!header?.startsWith('Bearer '))
    throw unauthorized('This route needs a service token (Authorization: Bearer).');
  const claims = verify(header.slice('Bearer '.length).trim());
  if (allowedCallers.length > 0 && !allowedCallers.includes(claims.iss)) {
    throw forbidden(`Service ${claims.iss} may not call this operation.`);
  }
  const tenant = claims.tenant ?? DEFAULT_TENANT;
  if (tenantHeader !== undefined && safeId(tenantHeader) !== tenant) {
    throw forbidden('The X-Tenant header does not match the tenant of the service token.');
  }
  request.rds.caller = claims.iss;
  request.rds.tenant = tenant;
  request.rds.user = claims.sub;
}
