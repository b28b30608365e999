import { randomUUID } from 'node:crypto';
import { context, createContextKey, type Context } from '@opentelemetry/api';

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

// The call context rides in OpenTelemetry's context, beside the active span: one async-local
// store for both, where two would cost every request a second context switch per await.
const CALL = createContextKey('rds.call-context');

/** The context of the request or job being handled, if any. */
export function currentContext(): CallContext | undefined {
  return context.active().getValue(CALL) as CallContext | undefined;
}

export function withCallContext(parent: Context, call: CallContext): Context {
  return parent.setValue(CALL, call);
}

/**
 * Runs `fn` with `call` as the current context: for work that does not start with a request,
 * such as jobs. Needs the kit's tracing started (`createService` and `rds` do that).
 */
export function runWithContext<T>(call: CallContext, fn: () => T): T {
  return context.with(withCallContext(context.active(), call), fn);
}

/** Header values that are unsafe to log or pass on are replaced, never trusted. */
export function safeId(value: unknown): string | undefined {
  return typeof value === 'string' && SAFE_ID.test(value) ? value : undefined;
}

export function newRequestId(): string {
  return randomUUID();
}
