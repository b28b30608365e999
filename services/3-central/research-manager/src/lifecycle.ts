import type { components } from '@rds/contracts/generated/research-manager';
import { transitionRefused } from './problems.ts';

export type Status = components['schemas']['Status'];

/** What moves a context: a call to change its status, or an export run as it starts or ends. */
type Mover = 'status call' | 'run';

/**
 * Every move a context can make, and what makes it. `exporting` is entered and left only with a
 * run, so that a context is exporting exactly while one of its runs is running. A run the user
 * cancelled takes it back to `ready`, or to `exported` when it was exported as the run started.
 */
const TRANSITIONS: Record<Status, Partial<Record<Status, Mover>>> = {
  draft: { ready: 'status call' },
  ready: { draft: 'status call', exporting: 'run' },
  exporting: { exported: 'run', failed: 'run', ready: 'run' },
  failed: { exporting: 'run', ready: 'status call' },
  exported: { exporting: 'run', ready: 'status call' },
};

/** Refuses (409) a move the lifecycle does not have, or one that `mover` may not make. */
export function checkTransition(from: Status, to: Status, mover: Mover): void {
  const allowed = TRANSITIONS[from][to];
  if (allowed === mover) return;
  throw transitionRefused(
    from,
    to,
    allowed === 'run'
      ? `A context goes from ${from} to ${to} only as an export run ${to === 'exporting' ? 'starts' : 'ends'}.`
      : `A context cannot go from ${from} to ${to}.`,
  );
}
