import type { FastifyRequest } from 'fastify';
import { actingUser, ProblemError, type Handlers } from '@rds/kit';
import type { operations } from '@rds/contracts/generated/token-storage';
import {
  listConnections,
  notConnected,
  open,
  readConnection,
  removeConnection,
  storeCredentials,
  storeOAuthToken,
  toConnection,
  type ConnectionKey,
} from './connections.ts';
import { GrantRefused } from './oauth.ts';
import { refuseNameOfRds, registerAnonymously } from './registration.ts';
import * as registry from './registry.ts';
import { currentToken, tokenAfterRejection, type TokenVault } from './tokens.ts';

/** Operators act on the registry by hand with `rds token --service operator`. */
export const OPERATOR = 'operator';

/** A request about one service (its path names it). */
type ServiceRequest = FastifyRequest<{ Params: { servicename: string } }>;

const serviceName = (request: ServiceRequest) => request.params.servicename.toLowerCase();

function forbidden(detail: string): ProblemError {
  return new ProblemError(403, { detail, messageKey: 'auth.forbidden' });
}

function connectionKey(request: ServiceRequest): ConnectionKey {
  return { ...actingUser(request), service: serviceName(request) };
}

/** A port reads only the tokens of its own service. */
function ownConnectionKey(request: ServiceRequest): ConnectionKey {
  const key = connectionKey(request);
  if (request.rds.caller !== key.service)
    throw forbidden(`Only ${key.service} may read its users' tokens.`);
  return key;
}

/** The registry is changed by the service itself or by an operator (or anonymously: registration.ts). */
function mayManage(request: FastifyRequest, service: string): void {
  const caller = request.rds.caller;
  if (caller !== service && caller !== OPERATOR) {
    throw forbidden(`Service ${caller} may not change the registration of ${service}.`);
  }
}

async function requireService(vault: TokenVault, tenant: string, name: string) {
  const service = await registry.findService(vault.db, tenant, name);
  if (!service) {
    throw new ProblemError(404, {
      detail: `No service ${name} is registered.`,
      messageKey: 'service.notFound',
      args: { servicename: name },
    });
  }
  return service;
}

/** Records a state as used; false when it was used before. */
async function claimState(db: TokenVault['db'], tenant: string, stateId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO used_authorization_states (tenant, state_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [tenant, stateId],
  );
  return rowCount === 1;
}

export function handlers(vault: TokenVault): Handlers<operations> {
  const { db, keys, provider } = vault;
  return {
    registerService: async (request) => {
      const registration = registry.readRegistration(request.body);
      const tenant = request.rds.tenant;
      refuseNameOfRds(registration.servicename);
      if (request.rds.caller === undefined) {
        await registerAnonymously(db, keys, tenant, registration);
      } else {
        mayManage(request, registration.servicename);
        await registry.saveService(db, keys, tenant, registration, 'replace');
      }
      request.log.info({ servicename: registration.servicename }, 'service registered');
      return { success: true };
    },

    listServices: async (request) => ({
      services: await registry.listServices(db, request.rds.tenant),
    }),

    getService: async (request) => requireService(vault, request.rds.tenant, serviceName(request)),

    deleteService: async (request) => {
      const name = serviceName(request);
      mayManage(request, name);
      const removed = await registry.deleteService(db, request.rds.tenant, name);
      if (removed === undefined) await requireService(vault, request.rds.tenant, name);
      return { servicename: name, connectionsRemoved: removed ?? 0 };
    },

    listConnections: async (request) => {
      const { tenant, user } = actingUser(request);
      return { connections: await listConnections(db, tenant, user) };
    },

    getConnection: async (request) => {
      const key = connectionKey(request);
      const row = await readConnection(db, key);
      if (!row) throw notConnected(key.service);
      return toConnection(row);
    },

    storeConnection: async (request) => {
      const key = connectionKey(request);
      const service = await requireService(vault, key.tenant, key.service);
      const grant = request.body;
      if (grant.kind !== service.authType) {
        throw new ProblemError(422, {
          detail: `${key.service} is connected with ${service.authType}, not ${grant.kind}.`,
          messageKey: 'connection.wrongKind',
          args: { servicename: key.service, expected: service.authType },
        });
      }
      return grant.kind === 'oauth2'
        ? storeOAuthToken(db, keys, key, grant)
        : storeCredentials(db, keys, key, grant);
    },

    exchangeAuthorizationCode: async (request) => {
      const key = connectionKey(request);
      await requireService(vault, key.tenant, key.service);
      const client = await registry.oauthClient(db, keys, key.tenant, key.service);
      if (!client) {
        throw new ProblemError(422, {
          detail: `${key.service} does not connect with OAuth2.`,
          messageKey: 'connection.notOAuth2',
        });
      }
      const { body } = request;
      if (body.state_id && !(await claimState(db, key.tenant, body.state_id))) {
        throw new ProblemError(409, {
          detail: 'This authorization was already completed; a callback is accepted once.',
          messageKey: 'oauth.stateReplayed',
          args: { servicename: key.service },
        });
      }
      try {
        const answer = await provider.exchangeCode(
          client,
          body.code,
          body.redirect_uri,
          body.code_verifier,
        );
        return await storeOAuthToken(db, keys, key, answer);
      } catch (error) {
        if (!(error instanceof GrantRefused)) throw error;
        throw new ProblemError(400, {
          detail: `${key.service} refused the authorization code: it is used, expired, or meant for another redirect.`,
          messageKey: 'oauth.codeRefused',
          args: { servicename: key.service },
        });
      }
    },

    revokeConnection: async (request, reply) => {
      const key = connectionKey(request);
      const removed = await removeConnection(db, key);
      if (!removed) throw notConnected(key.service);
      const client = await registry.oauthClient(db, keys, key.tenant, key.service);
      const refresh = open(keys, key, 'refresh_token', removed.refresh_token_sealed);
      const access = open(keys, key, 'access_token', removed.access_token_sealed);
      if (client) {
        // Revocation is a courtesy to the user: the connection is gone here whatever the provider says.
        await Promise.all([
          refresh && provider.revoke(client, refresh, 'refresh_token'),
          access && provider.revoke(client, access, 'access_token'),
        ]).catch((error: unknown) =>
          request.log.warn(
            { err: error, servicename: key.service },
            'revocation at the provider failed',
          ),
        );
      }
      return reply.code(204).send();
    },

    getToken: async (request) => currentToken(vault, ownConnectionKey(request)),

    refreshToken: async (request) => {
      const { rejected_access_token } = request.body;
      return tokenAfterRejection(vault, ownConnectionKey(request), rejected_access_token);
    },
  };
}
