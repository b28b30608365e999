import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TEST_SECRET } from '@rds/kit/testing';
import {
  ended,
  getContext,
  readyContext,
  recordFiles,
  sha256,
  startExport,
  startStack,
  type Stack,
} from './harness.ts';

const SERVE = fileURLToPath(new URL('./serve-exporter.ts', import.meta.url));

/** Starts the exporter in a child process; resolves with its URL once it listens. */
function spawnExporter(stack: Stack): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE], {
    env: {
      ...process.env,
      ...stack.exporterEnv,
      RDS_SERVICE_SECRET: TEST_SECRET,
      RDS_VALIDATE_RESPONSES: 'true',
      RDS_SHUTDOWN_DELAY_MS: '0',
      RDS_EXPORTER_WORKERS: '1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      const url = /"url":"(http:[^"]+)"/.exec(output)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`exporter exited with ${code}: ${output}`)));
  });
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(50);
}, 60_000);
afterAll(() => stack.close());

test('an exporter killed mid-transfer: another takes the job up, and every file lands exactly once', async () => {
  const contextId = await readyContext(stack, 'Crash');
  // Slow uploads, so that the kill lands while files are on their way.
  stack.proxy.faults.push(...Array<'slow'>(30).fill('slow'));
  const first = await spawnExporter(stack);
  const runId = await startExport(first.url, contextId);
  while (stack.proxy.completed.size < 3) await new Promise((r) => setTimeout(r, 20));
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));
  stack.proxy.faults.length = 0;

  const second = await spawnExporter(stack);
  try {
    expect(await ended(second.url, contextId, runId)).toMatchObject({
      state: 'done',
      files: { done: 50, failed: 0 },
    });
  } finally {
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  }
  const context = await getContext(stack, contextId);
  const atTarget = await recordFiles(stack, context.targets[0]!.reported!.recordId!);
  expect(atTarget.size).toBe(50);
  for (const [key, bytes] of stack.files)
    expect(atTarget.get(key)?.checksum, key).toBe(sha256(bytes));
  expect([...stack.proxy.completed.values()].every((n) => n === 1)).toBe(true);
}, 90_000);
