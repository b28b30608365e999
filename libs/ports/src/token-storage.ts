import { ProblemError, UpstreamError, type ContractClient } from '@rds/kit';
import type { operations } from '@rds/contracts/generated/token-storage';

/** A client of token-storage's contract: `clients['token-storage']` of a service that calls it. */
export type TokenStorage = ContractClient<operations>;

/**
 * The body of token-storage's answer to a call. A problem it answers (a 4xx) is about the calling
 * service's call, not for the user to read: it becomes a failure of token-storage with its status
 * (`upstreamStatus`), as a 5xx or no answer already is.
 */
export async function answerOf<Body>(call: Promise<{ body: Body }>): Promise<Body> {
  try {
    return (await call).body;
  } catch (error) {
    if (error instanceof ProblemError && !(error instanceof UpstreamError))
      throw new UpstreamError('token-storage', error.statusCode);
    throw error;
  }
}
