/** The problems research-manager answers with, each under a stable `messageKey`. */
import { ProblemError, type FieldError } from '@rds/kit';

type Thing = 'context' | 'source' | 'target' | 'run' | 'file';

/** Also for what belongs to another user or tenant: whether it exists is theirs to know. */
export const notFound = (thing: Thing, id: string) =>
  new ProblemError(404, {
    detail: `There is no research ${thing} ${id}.`,
    messageKey: `research.${thing}.notFound`,
    args: { id },
  });

export const transitionRefused = (from: string, to: string, detail: string) =>
  new ProblemError(409, { detail, messageKey: 'research.transition.refused', args: { from, to } });

export const contextDeleted = () =>
  new ProblemError(409, {
    detail: 'This context is deleted; restore it before changing it.',
    messageKey: 'research.context.deleted',
  });

export const contextNotDeleted = () =>
  new ProblemError(409, {
    detail: 'This context is not deleted; there is nothing to restore.',
    messageKey: 'research.context.notDeleted',
  });

export const contextExporting = () =>
  new ProblemError(409, {
    detail: 'This context is being exported; end or cancel the run first.',
    messageKey: 'research.context.exporting',
  });

export const contextIncomplete = (missing: string[]) =>
  new ProblemError(409, {
    detail: `An export needs at least one source and one target; this context has no ${missing.join(' and no ')}.`,
    messageKey: 'research.context.incomplete',
    args: { missing },
  });

export const runEnded = () =>
  new ProblemError(409, {
    detail: 'This run has ended; its history no longer changes.',
    messageKey: 'research.run.ended',
  });

export const preconditionRequired = () =>
  new ProblemError(428, {
    detail:
      'Send the ETag of the context as If-Match, so that no change overwrites another unseen.',
    messageKey: 'request.preconditionRequired',
  });

export const preconditionFailed = () =>
  new ProblemError(412, {
    detail: 'The context has changed since it was read (If-Match); read it again, then retry.',
    messageKey: 'request.preconditionFailed',
  });

/** Ids in a body that name nothing the run or context has. */
export const unknownReferences = (errors: FieldError[]) =>
  new ProblemError(422, {
    detail: 'The request names sources or targets that this context or run does not have.',
    messageKey: 'research.reference.unknown',
    errors,
  });

export const invalidCursor = () =>
  new ProblemError(400, {
    detail: 'The request is not valid.',
    messageKey: 'request.invalid',
    errors: [
      { detail: '/query/cursor is not a cursor this list gave out', pointer: '#/query/cursor' },
    ],
  });
