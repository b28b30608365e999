import { ProblemError, type Handler } from '@rds/kit';

/** Contexts and storage are always some user's: a token that names none is refused up front. */
export function requireUser(request: Parameters<Handler>[0]): void {
  if (!request.rds.user)
    throw new ProblemError(403, {
      detail: 'Research contexts and storage belong to a signed-in user; this call names none.',
      messageKey: 'auth.noUser',
    });
}
