import type { Answer } from '@rds/kit/testing';

/**
 * What a problem answer says, for an assertion's message: a failing test then reads, e.g.,
 * "501: listFolder is not implemented yet: write it in …", not just "expected 501 to be 200".
 */
export function problemOf(answer: Answer): string {
  try {
    return `${answer.status}: ${answer.json<{ detail?: string }>().detail ?? answer.text}`;
  } catch {
    return `${answer.status}: ${answer.text.slice(0, 200)}`;
  }
}
