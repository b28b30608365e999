import type { FastifyRequest } from 'fastify';
import { handBack, ProblemError, type ContractClient, type SomeHandlers } from '@rds/kit';
import type { operations } from '@rds/contracts/generated/web';
import type { operations as PortServiceOperations } from '@rds/contracts/generated/port-service';
import { sessionBinding, type Session } from './session.ts';

type ConnectionOperation =
  | 'listServices'
  | 'startAuthorization'
  | 'connectCallback'
  | 'connectWithCredentials'
  | 'disconnect';

const sessionOf = (request: FastifyRequest): Session => request.session!;

/** The services the user can connect, connecting them (OAuth2 or credentials), disconnecting. */
export function connectionHandlers(
  portService: ContractClient<PortServiceOperations>,
  /** This site's address as the user's browser knows it. */
  publicUrl: (request: FastifyRequest) => string,
): SomeHandlers<operations, ConnectionOperation> {
  return {
    listServices: async (_request, reply) =>
      handBack(reply, await portService.call('listCatalogue')),

    startAuthorization: async (request, reply) =>
      handBack(
        reply,
        await portService.call('startAuthorization', {
          params: request.params,
          json: {
            redirectUri: `${publicUrl(request)}/connect/callback`,
            session: sessionBinding(sessionOf(request)),
          },
        }),
      ),

    connectCallback: async (request, reply) => {
      // Only what OAuth2 sends back (RFC 6749 4.1.2): providers add more, such as `iss` (RFC 9207)
      // or Keycloak's `session_state`, which port-service does not take.
      const { state, code, error, error_description } = request.query;
      const answer = new URLSearchParams();
      try {
        const { body: connected } = await portService.call('completeAuthorization', {
          json: {
            state,
            code,
            error,
            error_description,
            session: sessionBinding(sessionOf(request)),
          },
        });
        answer.set('connected', connected.servicename);
      } catch (failure) {
        answer.set(
          'error',
          failure instanceof ProblemError ? failure.message : 'Connecting failed.',
        );
      }
      return reply.redirect(`/#/services?${answer}`);
    },

    connectWithCredentials: async (request, reply) =>
      handBack(
        reply,
        await portService.call('connectWithCredentials', {
          params: request.params,
          json: request.body,
        }),
      ),

    disconnect: async (request, reply) =>
      handBack(reply, await portService.call('disconnect', { params: request.params })),
  };
}
