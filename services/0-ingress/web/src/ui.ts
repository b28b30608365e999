import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { ProblemError } from '@rds/kit';

/** The UI's sources (Vite + React) and where they are built to. */
export const UI_SOURCE = fileURLToPath(new URL('../ui', import.meta.url));
export const UI_DIST = fileURLToPath(new URL('../dist', import.meta.url));
const LOCK_STALE_MS = 120_000;

// The UI loads only what this site serves, and no other site may frame it.
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-cache',
};

/** Serves the built UI: the page at `/`, its files (named by content hash, so cached for good). */
export function uiPlugin(dist = UI_DIST): FastifyPluginAsync {
  return async (app) => {
    if (!existsSync(join(dist, 'index.html'))) {
      app.get('/', async () => {
        throw new ProblemError(503, {
          detail: 'The UI has not been built: run `npm run build -w @rds/web`.',
          messageKey: 'ui.notBuilt',
        });
      });
      return;
    }
    await app.register(fastifyStatic, {
      root: dist,
      index: false,
      // A route per built file, not one for every path: an unknown path stays a 404 problem.
      wildcard: false,
      immutable: true,
      maxAge: '365d',
    });
    app.get('/', async (_request, reply) =>
      reply.headers(PAGE_HEADERS).sendFile('index.html', { immutable: false, maxAge: 0 }),
    );
  };
}

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Whether the built UI is missing or older than any of its sources. */
export function uiIsStale(source = UI_SOURCE, dist = UI_DIST): boolean {
  const page = join(dist, 'index.html');
  return !existsSync(page) || statSync(page).mtimeMs < newest(source);
}

/**
 * Builds the UI with Vite when it is missing or stale; says whether it did. One build at a time,
 * across processes too (test files run in parallel): the others wait for it and use its result.
 */
export async function ensureUi(): Promise<boolean> {
  if (!uiIsStale()) return false;
  const lock = `${UI_DIST}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      // A lock left by a build that died is broken after a while.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > LOCK_STALE_MS)
        rmSync(lock, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    if (!uiIsStale()) return false;
    const { build } = await import('vite');
    await build({ configFile: join(UI_SOURCE, 'vite.config.ts'), logLevel: 'warn' });
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
