import type { Logger } from 'pino';
import { serviceContract } from '@rds/contracts';
import {
  defineService,
  type Contract,
  type KitSettings,
  type ServiceDefinition,
  type ServiceParts,
  type SettingsOf,
  type SettingsSchema,
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

/**
 * What a connector's author writes for a port; `@rds/ports` makes the service from it. `settings`
 * holds the port's own settings only, written once as a schema (`as const satisfies
 * SettingsSchema`): setup gets them typed from it. `RDS_TOKEN_STORAGE_URL` comes with every port.
 */
export interface PortDefinition<Schema extends SettingsSchema, I> {
  name: string;
  version: string;
  /** How the port registers with token-storage; a function of the settings where they decide it. */
  registration: Registration | ((settings: NoInfer<SettingsOf<Schema>>) => Registration);
  settings: Schema;
  /**
   * The problems a user's token becomes when the user has no connection (`missing`) or the
   * service refused it (`refused`); a storage's `credentialsRefused` for both unless said here.
   */
  refusals?: (registration: Registration) => { missing: () => Error; refused: () => Error };
  setup(context: {
    settings: KitSettings & NoInfer<SettingsOf<Schema>>;
    logger: Logger;
  }): PortParts<I> | Promise<PortParts<I>>;
}

/** The per-request opener a contract's handlers call, once the port is set up. */
export type Open<I> = () => Promise<I>;

/**
 * Every port registers with token-storage and reads its users' tokens there, so the kit requires
 * `RDS_TOKEN_STORAGE_URL` of each.
 */
const CALLS = { 'token-storage': serviceContract('token-storage') };

/** The service a port becomes: its settings inferred from its schema, calling token-storage. */
export type PortService<Schema extends SettingsSchema, Operations> = ServiceDefinition<
  SettingsOf<Schema>,
  Operations,
  typeof CALLS,
  undefined,
  1
>;

/**
 * A layer-1 service from a port definition: registers with token-storage, gives each request
 * the user's session, and serves `contract` with the handlers `serve` makes. With `tokenFirst`,
 * the user's token is read before any method runs, so that no answer, not even one the port
 * knows without its service, goes to a user without a connection.
 */
export function portService<Schema extends SettingsSchema, I, Operations>(
  port: PortDefinition<Schema, I>,
  contract: Contract<Operations, 1>,
  serve: (open: Open<I>) => ServiceParts<Operations>['handlers'],
  tokenFirst: boolean,
): PortService<Schema, Operations> {
  return defineService<Schema, Operations, typeof CALLS, undefined, 1>({
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
  });
}

/**
 * Whether users connect to the port's service: with OAuth2 (no `credentials`, as token-storage
 * reads a registration) or an id or password; port-service shows the others as always connected.
 */
function asksToConnect({ credentials }: Registration): boolean {
  return !credentials || credentials.userId || credentials.password;
}
