import type { Logger } from 'pino';
import type { Handler, KitSettings, ServiceDefinition, SettingsSchema } from '@rds/kit';
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
  setup(context: {
    settings: KitSettings & S;
    logger: Logger;
  }): PortParts<I> | Promise<PortParts<I>>;
}

/** The per-request opener a contract's handlers call, once the port is set up. */
export type Open<I> = () => Promise<I>;

/**
 * A layer-1 service from a port definition: registers with token-storage, reads each user's
 * token (refused tokens become the problem `refusal` names), and serves `contract` with the
 * handlers `serve` makes.
 */
export function portService<S, I>(
  port: PortDefinition<S, I>,
  contract: string,
  serve: (open: Open<I>) => Record<string, Handler>,
): ServiceDefinition<S> {
  return {
    name: port.name,
    layer: 1,
    streamsFiles: true,
    version: port.version,
    contract,
    settings: port.settings,
    setup: async ({ settings, serviceClient, logger }) => {
      const registration =
        typeof port.registration === 'function' ? port.registration(settings) : port.registration;
      const parts = await port.setup({ settings, logger });
      const tokenStorage = serviceClient('token-storage');
      try {
        await registerPort(tokenStorage, registration, { logger });
      } catch (error) {
        await parts.close?.();
        throw error;
      }
      const refusal = () => storageProblems.credentialsRefused(port.name);
      const tokens = new UserTokens(tokenStorage, port.name, refusal);
      const open = async () => parts.open(await UserSession.open(tokens, refusal));
      return { handlers: serve(open), ...(parts.close ? { close: parts.close } : {}) };
    },
  };
}
