import { ProblemError } from '@rds/kit';

/**
 * What each method `rds new port` writes throws until it is written: a 501 naming the method and
 * the file to write it in, so that the port starts, registers and tells its tests, and whoever
 * calls it, what is left to do.
 */
export function notImplemented(method: string, file: string): ProblemError {
  return new ProblemError(501, {
    detail: `${method} is not implemented yet: write it in ${file}.`,
    messageKey: 'port.notImplemented',
    args: { method },
  });
}
