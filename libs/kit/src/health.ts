import type { FastifyInstance } from 'fastify';

/** One dependency readiness depends on; throws (or rejects) when it does not answer. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** Whether the service takes work: false while starting and from the moment it starts shutting down. */
export class Lifecycle {
  private state: 'starting' | 'serving' | 'stopping' = 'starting';

  get accepting(): boolean {
    return this.state === 'serving';
  }

  get phase(): string {
    return this.state;
  }

  serving(): void {
    if (this.state === 'starting') this.state = 'serving';
  }

  stopping(): void {
    this.state = 'stopping';
  }
}

/** Where every kit service answers whether it lives, and whether it takes work. */
export const HEALTH_ROUTES = { live: '/health/live', ready: '/health/ready' } as const;

const CHECK_TIMEOUT_MS = 2000;

async function runCheck({ name, check }: ReadinessCheck): Promise<[string, string]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return [name, 'ok'];
  } catch {
    // The reason stays in the service's log; the probe only says which check failed.
    return [name, 'failing'];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health/live` says the process works and never asks a dependency (a failing liveness probe
 * restarts the pod). `/health/ready` runs every readiness check.
 */
export function registerHealth(
  app: FastifyInstance,
  lifecycle: Lifecycle,
  checks: ReadinessCheck[],
): void {
  const opts = { config: { infrastructure: true } };
  app.get(HEALTH_ROUTES.live, opts, async () => ({ status: 'up' }));
  app.get(HEALTH_ROUTES.ready, opts, async (request, reply) => {
    if (!lifecycle.accepting) {
      return reply.code(503).send({ status: lifecycle.phase, checks: {} });
    }
    const results = Object.fromEntries(await Promise.all(checks.map(runCheck)));
    const ready = Object.values(results).every((r) => r === 'ok');
    if (!ready) request.log.warn({ checks: results }, 'not ready');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not-ready', checks: results });
  });
}
