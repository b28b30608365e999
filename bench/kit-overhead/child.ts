/**
 * The side of the IPC protocol a server child speaks: it announces its URL once listening,
 * reports its CPU time on request, and stops cleanly when asked (so that `--cpu-prof` can write
 * its profile) or when the parent goes away.
 */

export type ToChild = { type: 'cpu' } | { type: 'stop' };
export type FromChild =
  | { type: 'ready'; url: string }
  | { type: 'cpu'; usage: NodeJS.CpuUsage }
  | { type: 'failed'; error: string };

export interface Served {
  url: string;
  stop: () => Promise<void>;
}

function send(message: FromChild): void {
  process.send?.(message);
}

export async function serveForBench(start: () => Promise<Served>): Promise<void> {
  if (!process.send) throw new Error('a bench server runs as a child of bench/kit-overhead/run.ts');
  let served: Served;
  try {
    served = await start();
  } catch (error) {
    send({ type: 'failed', error: (error as Error).stack ?? String(error) });
    process.exit(1);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await served.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (message: ToChild) => {
    if (message.type === 'cpu') send({ type: 'cpu', usage: process.cpuUsage() });
    if (message.type === 'stop') void stop();
  });
  // The parent died or closed the channel: never outlive it.
  process.on('disconnect', () => void stop());
  send({ type: 'ready', url: served.url });
}
