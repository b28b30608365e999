/**
 * The fuzz suite (issue 19): every operation of every contract, served by the real services of
 * the embedded stack (`rds start`: one process, PGlite, a temporary data folder), gets valid
 * requests generated from its contract and mutated ones: wrong types, missing and unknown
 * fields, odd and huge strings (NUL, lone surrogates, 64 KB, `..`, `%`), bad percent-encodings,
 * long path parameters, other content types, oversized and deeply nested bodies; with a valid
 * service token or session, without one, and with bad or forged ones.
 *
 * Every answer: no 5xx; an error is problem+json whose status is the answer's, at most 16 KiB; a
 * request the contract does not allow is not answered 2xx; web's answers say nosniff.
 *
 * Deterministic for a seed: RDS_FUZZ_SEED (default 19). To reproduce a failure, send one
 * operation's requests with RDS_FUZZ_ONLY="<service> <operationId>" and see each request and its
 * status with RDS_FUZZ_VERBOSE=1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { serviceNames } from '../../src/services.ts';
import { start, type Started } from '../../src/start.ts';
import { allOperations, type FuzzOperation } from './contract.ts';
import { casesFor, serviceCases, type FuzzRequest } from './cases.ts';
import { sessionHeaders, signIn, tokenMinter, type Session } from './credentials.ts';
import { KnownIds } from './known.ts';
import { send, type Answer } from './send.ts';
import { failureClasses, Tally } from './tally.ts';

const SEED = Number(process.env.RDS_FUZZ_SEED ?? 19);
const ONLY = process.env.RDS_FUZZ_ONLY;
const VERBOSE = process.env.RDS_FUZZ_VERBOSE === '1';
/** With RDS_FUZZ_VERBOSE, each request and its answer's status, printed at the end. */
const sent: string[] = [];
/** Requests stop after this long, whatever is left; the figures say how many were not sent. */
const BUDGET_MS = Number(process.env.RDS_FUZZ_BUDGET_MS ?? 120_000);

const secret = randomBytes(32).toString('hex');
const tokenFor = tokenMinter(secret);
let dataDir: string;
let started: Started;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rds-fuzz-'));
  started = await start({
    dataDir,
    env: { LOG_LEVEL: 'silent', RDS_SERVICE_SECRET: secret },
    port: 0,
  });
}, 180_000);

afterAll(async () => {
  for (const service of [...(started?.services ?? [])].reverse()) await service.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('every operation refuses bad requests with a small problem and answers no request with a 5xx', async () => {
  const tally = new Tally();
  const all = await allOperations();
  const operations = inRunOrder(all).filter(
    (op) => !ONLY || ONLY === `${op.service} ${op.operationId}`,
  );
  const left = await fuzz(operations, new KnownIds(all.map((op) => op.path)), tally);
  if (!ONLY)
    for (const service of Object.keys(started.urls))
      for (const request of serviceCases())
        tally.record(service, '-', request, await sendAs(service, request, []));

  const failures = failureClasses(tally.failures);
  console.log(report(tally, operations.length, left, failures));
  expect(failures).toEqual([]);
}, 300_000);

/** Sends every operation's requests in order; says how many the time budget left unsent. */
async function fuzz(operations: FuzzOperation[], known: KnownIds, tally: Tally): Promise<number> {
  const deadline = Date.now() + BUDGET_MS;
  let left = 0;
  for (const op of operations) {
    const cases = casesFor(op, seedOf(op), known.variants());
    if (Date.now() > deadline) {
      left += cases.length;
      continue;
    }
    const session = op.service === 'web' ? await signIn(started.urls.web!) : undefined;
    const callers = op.auth.kind === 'token' ? op.auth.callers : [];
    for (const request of cases) {
      const answer = await sendAs(op.service, request, callers, session);
      tally.record(op.service, op.operationId, request, answer);
      if (VERBOSE) sent.push(line(op, request, answer));
      if (request.credentials === 'valid' && !(answer instanceof Error)) known.remember(op, answer);
    }
  }
  return left;
}

/**
 * Services in `rds start`'s order (central services first, so later ones find the contexts the
 * valid requests created), and operations that delete last of all.
 */
function inRunOrder(operations: FuzzOperation[]): FuzzOperation[] {
  const order = serviceNames();
  const rank = (op: FuzzOperation) =>
    (op.method === 'DELETE' ? order.length : 0) + order.indexOf(op.service);
  return operations
    .map((op, index) => ({ op, index }))
    .sort((a, b) => rank(a.op) - rank(b.op) || a.index - b.index)
    .map(({ op }) => op);
}

/** Each operation its own seed, so one operation's requests reproduce without the others. */
function seedOf(op: FuzzOperation): number {
  let hash = SEED;
  for (const char of `${op.service} ${op.operationId}`) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return Math.abs(hash);
}

function sendAs(
  service: string,
  request: FuzzRequest,
  callers: string[],
  session?: Session,
): Promise<Answer | Error> {
  const token = session ? undefined : tokenFor(service, request.credentials, callers);
  const credentials = session
    ? sessionHeaders(request, session)
    : token
      ? { authorization: `Bearer ${token}` }
      : {};
  return send({
    url: `${started.urls[service]}${request.target}`,
    method: request.method,
    headers: { ...credentials, ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
  }).catch((error: Error) => error);
}

function line(op: FuzzOperation, request: FuzzRequest, answer: Answer | Error): string {
  const status = answer instanceof Error ? answer.message : answer.status;
  const target = `${request.method} ${request.target.slice(0, 120)}`;
  return `${op.service} ${op.operationId} [${request.shape}; ${request.credentials}] ${target} → ${status}`;
}

/** The figures for the closing note, and every failure class. */
function report(tally: Tally, operations: number, left: number, failures: string[]): string {
  return [
    ...sent,
    `Fuzz suite, seed ${SEED}: ${operations} operations`,
    tally.table(),
    ...(left ? [`Stopped at the ${BUDGET_MS / 1000} s budget: ${left} requests not sent.`] : []),
    `${failures.length} failure classes${failures.length ? ':' : '.'}`,
    ...failures,
  ].join('\n');
}
