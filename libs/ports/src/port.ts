import type { Logger } from 'pino';
import { serviceContract } from '@rds/contracts';
import type {
  Contract,
  KitSettings,
  ServiceDefinition,
  ServiceParts,
  SettingsSchema,
} from '@rds/kit';
import { registerPort, type Registration } from './registration.ts';
import { storageProblems } from './problems.ts';
import { UserTokens } from './tokens.ts';
import { UserSession } from './user-session.ts';

/** What a port makes once, at start: how to open one user's view of its service. */
export interface PortParts<I> {
  /** Called per request, after its parameters were checked, with the acting user's session. */
  open(user: UserSession): I | Promise<I>;
  /** Closes the port's own resources (connection pools) after the last request. */
  close?: () => Promise<void>;
}

/** What a connector's author writes for a port; `@rds/ports` makes the service from it. */
export interface PortDefinition<S, I> {
  name: string;
  version: string;
  /** How the port registers with token-storage; a function of the settings where they decide it. */
  registration: Registration | ((settings: S) => Registration);
  settings: SettingsSchema;
  /**
   * The problems a user's token becomes when the user has no connection (`missing`) or the
   * service refused it (`refused`); a storage's `credentialsRefused` for both unless said here.
   */
  refusals?: (registration: Registration) => { missing: () => Error; refused: () => Error };
  setup(context: {
    settings: KitSettings & S;
    logger: Logger;
  }): PortParts<I> | Promise<PortParts<I>>;
}

/** The per-request opener a contract's handlers call, once the port is set up. */
export type Open<I> = () => Promise<I>;

/** Every port registers with token-storage and reads its users' tokens there. */
const CALLS = { 'token-storage': serviceContract('token-storage') };

/**
 * A layer-1 service from a port definition: registers with token-storage, gives each request
 * the user's session, and serves `contract` with the handlers `serve` makes. With `tokenFirst`,
 * the user's token is read before any method runs, so that no answer, not even one the port
 * knows without its service, goes to a user without a connection.
 */
export function portService<S, I, Operations>(
  port: PortDefinition<S, I>,
  contract: Contract<Operations>,
  serve: (open: Open<I>) => ServiceParts<Operations>['handlers'],
  tokenFirst: boolean,
): ServiceDefinition<S, Operations, typeof CALLS> {
  return {
    name: port.name,
    layer: 1,
    streamsFiles: true,
    version: port.version,
    contract,
    settings: port.settings,
    calls: CALLS,
    setup: async ({ settings, clients, logger }) => {
      const parts = await port.setup({ settings, logger });
      const tokenStorage = clients['token-storage'];
      let registration: Registration;
      try {
        registration =
          typeof port.registration === 'function' ? port.registration(settings) : port.registration;
        await registerPort(tokenStorage, registration, { logger });
      } catch (error) {
        await parts.close?.();
        throw error;
      }
      const refusedCredentials = () => storageProblems.credentialsRefused(port.name);
      const { missing, refused } = port.refusals?.(registration) ?? {
        missing: refusedCredentials,
        refused: refusedCredentials,
      };
      const tokens = new UserTokens(tokenStorage, port.name, missing);
      // A port that asks for nothing to connect (a folder on this server) has no token to read.
      const readFirst = tokenFirst && asksToConnect(registration);
      const open = async () =>
        parts.open(
          readFirst ? await UserSession.open(tokens, refused) : new UserSession(tokens, refused),
        );
      return { handlers: serve(open), ...(parts.close ? { close: parts.close } : {}) };
    },
  };
}

/**
 * Whether users connect to the port's service: with OAuth2 (no `credentials`, as token-storage
 * reads a registration) or an id or password; port-service shows the others as always connected.
 */
function asksToConnect({ credentials }: Registration): boolean {
  return !credentials || credentials.userId || credentials.password;
}
