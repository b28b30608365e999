import { ProblemError, type Handler } from '@rds/kit';

/**
 * The handler `rds new port` puts in place of each operation until it is written: it answers
 * 501 naming the operation and the file to write it in, so that the port starts, registers and
 * tells its tests, and whoever calls it, what is left to do.
 */
export function notImplemented(operationId: string, file: string): Handler {
  return async () => {
    throw new ProblemError(501, {
      detail: `${operationId} is not implemented yet: write it in ${file}.`,
      messageKey: 'port.notImplemented',
      args: { operationId },
    });
  };
}
