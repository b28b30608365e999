/** Helpers for tests of kit services: real services on 127.0.0.1, real HTTP, real tokens. */
import { randomBytes } from 'node:crypto';
import { createTokenSigner, type TokenRequest } from './auth.ts';
import {
  createService,
  serviceSettings,
  type CreateOptions,
  type Service,
  type Callees,
  type ServiceDefinition,
} from './service.ts';

export const TEST_SECRET = randomBytes(32).toString('hex');

export interface RunningService {
  service: Service;
  url: string;
  close: () => Promise<void>;
}

/** Starts a service on a free port with test settings: responses validated, quiet logs, no drain delay. */
export async function startTestService<S, Operations, Calls extends Callees, Database>(
  definition: ServiceDefinition<S, Operations, Calls, Database>,
  env: Record<string, string | undefined> = {},
  options: CreateOptions = {},
): Promise<RunningService> {
  const settings = serviceSettings(definition, {
    RDS_SERVICE_SECRET: TEST_SECRET,
    RDS_VALIDATE_RESPONSES: 'true',
    RDS_SHUTDOWN_DELAY_MS: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...env,
  });
  const service = await createService(definition, settings, options);
  const url = await service.listen(Number(env.PORT ?? 0));
  return { service, url, close: () => service.close() };
}

const sign = createTokenSigner(TEST_SECRET);

/** A service token as `issuer` would send it to `audience`. */
export function testToken(request: TokenRequest): string {
  return sign(request);
}

export function bearer(request: TokenRequest): Record<string, string> {
  return { authorization: `Bearer ${sign(request)}` };
}

export { call, type Answer, type Ask } from './test-http.ts';
