import { ProblemError, UpstreamError } from '@rds/kit';
import { storageProblems } from '@rds/ports';

export const SERVICENAME = 's3';

/** What the SDK puts on its errors: the service's error code as `name`, and the HTTP status. */
interface SdkError {
  name: string;
  $metadata?: { httpStatusCode?: number };
}

const REFUSALS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied']);
const MISSING = new Set(['NoSuchKey', 'NotFound']);
const UNREACHABLE_STATUSES = new Set([502, 503, 504]);

function isSdkError(error: unknown): error is SdkError {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

/**
 * S3 refused the credentials, or what they may do: the user must connect with other ones. Known
 * by the code, or by the status alone where a HEAD answer has no body to name it.
 */
export function isRefusal(error: unknown): boolean {
  return isSdkError(error) && (REFUSALS.has(error.name) || error.$metadata?.httpStatusCode === 403);
}

/** The problem an S3 call's failure means for the user; errors that are no S3 answer pass. */
export function problemOf(error: unknown, path: string): unknown {
  if (error instanceof ProblemError || !isSdkError(error)) return error;
  const status = error.$metadata?.httpStatusCode;
  // The SDK puts metadata on transport failures too: no status means no answer at all.
  if (status === undefined || UNREACHABLE_STATUSES.has(status))
    return storageProblems.unreachable(SERVICENAME);
  if (isRefusal(error)) return storageProblems.credentialsRefused(SERVICENAME);
  // A missing bucket is the operator's to fix; it is no missing path.
  if (status === 404 && MISSING.has(error.name)) return storageProblems.notFound(path);
  return new UpstreamError(SERVICENAME, status);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ProblemError && error.init.messageKey === 'storage.notFound';
}
