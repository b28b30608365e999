import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Context data (OpenWMS): who acts, for whom, in which request. Travels on every call. */
export interface CallContext {
  tenant: string;
  requestId: string;
  /** The calling RDS service, from its service token. */
  caller?: string;
  /** The user the call acts for, from the service token's `sub`. */
  user?: string;
}

export const DEFAULT_TENANT = 'default';
const SAFE_ID = /^[\w.:@-]{1,128}$/;

const storage = new AsyncLocalStorage<CallContext>();

/** The context of the request or job being handled, if any. */
export function currentContext(): CallContext | undefined {
  return storage.getStore();
}

/** Runs `fn` with `context` as the current one: for work that does not start with a request, such as jobs. */
export function runWithContext<T>(context: CallContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Header values that are unsafe to log or pass on are replaced, never trusted. */
export function safeId(value: unknown): string | undefined {
  return typeof value === 'string' && SAFE_ID.test(value) ? value : undefined;
}

export function newRequestId(): string {
  return randomUUID();
}
