import {
  actingUser,
  ProblemError,
  UpstreamError,
  type ContractClient,
  type Handlers,
} from '@rds/kit';
import type { KeyRing } from '@rds/secrets';
import type { operations } from '@rds/contracts/generated/port-service';
import type { operations as TokenStorageOperations } from '@rds/contracts/generated/token-storage';
import { catalogue, connectionState } from './catalogue.ts';
import { codeChallenge, newState, openState, sealState } from './state.ts';

export interface Flow {
  tokenStorage: ContractClient<TokenStorageOperations>;
  sealer: KeyRing;
  stateTtlSeconds: number;
}

/**
 * token-storage failed. Its explanations are of its own workings, not for the user: whatever it
 * answers (a refusal of this service's call included) is its failure, answered 502.
 */
function tokenStorageFailed(error: unknown): never {
  if (error instanceof ProblemError && !(error instanceof UpstreamError))
    throw new UpstreamError('token-storage', error.statusCode);
  throw error;
}

/** token-storage's refusals, as problems of this service that say what the user can do. */
function fromTokenStorage(error: unknown, servicename: string): never {
  if (!(error instanceof ProblemError)) throw error;
  const args = { servicename };
  switch (error instanceof UpstreamError ? error.upstreamStatus : error.statusCode) {
    case 404:
      throw new ProblemError(404, {
        detail: `There is no service ${servicename}.`,
        messageKey: 'service.notFound',
        args,
      });
    case 409:
      throw new ProblemError(409, {
        detail: 'This authorization was already used; start connecting again.',
        messageKey: 'oauth.stateReplayed',
        args,
      });
    case 400:
      throw new ProblemError(400, {
        detail: `${servicename} refused the authorization; start connecting again.`,
        messageKey: 'oauth.codeRefused',
        args,
      });
    case 422:
      throw new ProblemError(422, {
        detail: `${servicename} is not connected this way.`,
        messageKey: 'connection.wrongKind',
        args,
      });
    default:
      return tokenStorageFailed(error);
  }
}

export function handlers({ tokenStorage, sealer, stateTtlSeconds }: Flow): Handlers<operations> {
  const service = async (servicename: string) =>
    (
      await tokenStorage
        .call('getService', { params: { servicename } })
        .catch((e: unknown) => fromTokenStorage(e, servicename))
    ).body;
  return {
    listCatalogue: async (request) => {
      actingUser(request);
      const [services, connections] = await Promise.all([
        tokenStorage.call('listServices'),
        tokenStorage.call('listConnections'),
      ]).catch(tokenStorageFailed);
      return { services: catalogue(services.body.services, connections.body.connections) };
    },

    startAuthorization: async (request) => {
      const { tenant, user } = actingUser(request);
      const { servicename } = request.params;
      const { redirectUri, session } = request.body;
      const registered = await service(servicename);
      if (registered.authType !== 'oauth2' || !registered.authorizeUrl || !registered.clientId) {
        throw new ProblemError(422, {
          detail: `${servicename} is not connected with OAuth2.`,
          messageKey: 'connection.notOAuth2',
          args: { servicename },
        });
      }
      const state = newState({
        tenant,
        user,
        service: servicename,
        session,
        redirectUri,
        ttlSeconds: stateTtlSeconds,
      });
      const url = new URL(registered.authorizeUrl);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', registered.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      if (registered.scope) url.searchParams.set('scope', registered.scope);
      // OpenID Connect Core 11: offline access (a refresh token) is asked for with prompt=consent;
      // without it a provider may drop offline_access, and the connection ends with its first token.
      if (registered.scope?.split(' ').includes('offline_access'))
        url.searchParams.set('prompt', 'consent');
      url.searchParams.set('state', sealState(sealer, state));
      // PKCE: providers that do not know it ignore these parameters.
      url.searchParams.set('code_challenge', codeChallenge(state.codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      return {
        authorizeUrl: url.toString(),
        expiresAt: new Date(state.expiresAt * 1000).toISOString(),
      };
    },

    completeAuthorization: async (request) => {
      const { body } = request;
      const expected = { ...actingUser(request), session: body.session };
      const state = openState(sealer, body.state, expected);
      if (body.error || !body.code) {
        // Named as the catalogue names it to the user, not by its technical name.
        const name = (await service(state.service).catch(() => undefined))?.displayName;
        const named = name || state.service;
        throw new ProblemError(400, {
          detail:
            body.error === 'access_denied'
              ? `The connection to ${named} was declined.`
              : `${named} did not authorize the connection.`,
          messageKey: 'oauth.denied',
          args: { servicename: state.service, error: body.error ?? 'no_code' },
        });
      }
      const connection = await tokenStorage
        .call('exchangeAuthorizationCode', {
          params: { servicename: state.service },
          json: {
            code: body.code,
            redirect_uri: state.redirectUri,
            code_verifier: state.codeVerifier,
            state_id: state.id,
          },
        })
        .catch((e: unknown) => fromTokenStorage(e, state.service));
      return connectionState(state.service, connection.body);
    },

    connectWithCredentials: async (request) => {
      actingUser(request);
      const { servicename } = request.params;
      const { userId, password } = request.body;
      const connection = await tokenStorage
        .call('storeConnection', {
          params: { servicename },
          json: { kind: 'credentials', password, ...(userId ? { userId } : {}) },
        })
        .catch((e: unknown) => fromTokenStorage(e, servicename));
      return connectionState(servicename, connection.body);
    },

    disconnect: async (request, reply) => {
      actingUser(request);
      const { servicename } = request.params;
      await tokenStorage
        .call('revokeConnection', { params: { servicename } })
        .catch((e: unknown) => fromTokenStorage(e, servicename));
      return reply.code(204).send();
    },
  };
}
