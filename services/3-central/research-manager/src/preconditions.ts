import { preconditionFailed, preconditionRequired } from './problems.ts';

/** A strong entity tag made of a version counter. */
export function entityTag(version: number | string): string {
  return `"${version}"`;
}

/**
 * Refuses a write whose `If-Match` is missing (428) or names none of `current` (412). `*` matches
 * any current representation, as RFC 9110 says; weak tags never match (strong comparison).
 */
export function checkIfMatch(ifMatch: string | undefined, current: string): void {
  if (ifMatch === undefined) throw preconditionRequired();
  const tags = ifMatch.split(',').map((tag) => tag.trim());
  if (!tags.includes('*') && !tags.includes(current)) throw preconditionFailed();
}
