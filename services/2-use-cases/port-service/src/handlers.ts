import { actingUser, ProblemError, UpstreamError, type Handler, type HttpClient } from '@rds/kit';
import type { KeyRing } from '@rds/secrets';
import type { components as tokenStorage } from '@rds/contracts/generated/token-storage';
import { catalogue, connectionState } from './catalogue.ts';
import { codeChallenge, newState, openState, sealState } from './state.ts';

type Service = tokenStorage['schemas']['Service'];
type Connection = tokenStorage['schemas']['Connection'];

export interface Flow {
  tokenStorage: HttpClient;
  sealer: KeyRing;
  stateTtlSeconds: number;
}

const servicePath = (name: string) => `/service/${encodeURIComponent(name)}`;
const connectionPath = (name: string) => `/connections/${encodeURIComponent(name)}`;

/** token-storage's refusals, as problems of this service that say what the user can do. */
function fromTokenStorage(error: unknown, servicename: string): never {
  if (!(error instanceof UpstreamError)) throw error;
  const args = { servicename };
  switch (error.upstreamStatus) {
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
      throw error;
  }
}

export function handlers({ tokenStorage, sealer, stateTtlSeconds }: Flow): Record<string, Handler> {
  const service = (name: string) =>
    tokenStorage
      .json<Service>({ path: servicePath(name) })
      .catch((e: unknown) => fromTokenStorage(e, name));
  return {
    listCatalogue: async (request) => {
      actingUser(request);
      const [{ services }, { connections }] = await Promise.all([
        tokenStorage.json<{ services: Service[] }>({ path: '/service' }),
        tokenStorage.json<{ connections: Connection[] }>({ path: '/connections' }),
      ]);
      return { services: catalogue(services, connections) };
    },

    startAuthorization: async (request) => {
      const { tenant, user } = actingUser(request);
      const { servicename } = request.params as { servicename: string };
      const { redirectUri, session } = request.body as { redirectUri: string; session: string };
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
      const expected = {
        ...actingUser(request),
        session: (request.body as { session: string }).session,
      };
      const body = request.body as { state: string; code?: string; error?: string };
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
        .json<Connection>({
          method: 'POST',
          path: `${connectionPath(state.service)}/authorization-code`,
          json: {
            code: body.code,
            redirect_uri: state.redirectUri,
            code_verifier: state.codeVerifier,
            state_id: state.id,
          },
        })
        .catch((e: unknown) => fromTokenStorage(e, state.service));
      return connectionState(state.service, connection);
    },

    connectWithCredentials: async (request) => {
      actingUser(request);
      const { servicename } = request.params as { servicename: string };
      const { userId, password } = request.body as { userId?: string; password: string };
      const connection = await tokenStorage
        .json<Connection>({
          method: 'PUT',
          path: connectionPath(servicename),
          json: { kind: 'credentials', password, ...(userId ? { userId } : {}) },
        })
        .catch((e: unknown) => fromTokenStorage(e, servicename));
      return connectionState(servicename, connection);
    },

    disconnect: async (request, reply) => {
      actingUser(request);
      const { servicename } = request.params as { servicename: string };
      await tokenStorage
        .json({ method: 'DELETE', path: connectionPath(servicename) })
        .catch((e: unknown) => fromTokenStorage(e, servicename));
      return reply.code(204).send();
    },
  };
}
