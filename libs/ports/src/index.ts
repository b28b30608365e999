/** What every RDS port (layer 1) shares. */
export { registerPort, type Registration, type RegisterOptions } from './registration.ts';
export { UserTokens, type UserToken } from './tokens.ts';
export { storagePath, baseName, parentOf, joinPath } from './paths.ts';
export { parseRange, contentRange, type ByteRange } from './ranges.ts';
export { storageProblems } from './problems.ts';
export { notImplemented } from './not-implemented.ts';
export { newFileStream } from './new-file.ts';
export { Callees, type PortInterface } from './callees.ts';
