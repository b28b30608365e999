/** What every RDS port (layer 1) shares. */
export { registerPort, type Registration, type RegisterOptions } from './registration.ts';
export { UserTokens, type UserToken } from './tokens.ts';
export { storagePath, baseName, parentOf, joinPath } from './paths.ts';
export { parseRange, contentRange, type ByteRange } from './ranges.ts';
export { repositoryProblems, storageProblems } from './problems.ts';
export { notImplemented } from './not-implemented.ts';
export { newFileStream } from './new-file.ts';
export { meter, type Meter, type HashAlgorithm, type MeterOptions } from './meter.ts';
export { Callees, type PortInterface } from './callees.ts';
export type { FileStorage, Entry, FolderPage, FileContent, WantedRange } from './file-storage.ts';
export { fileStoragePort } from './file-storage-port.ts';
export type { PortDefinition, PortParts, PortService } from './port.ts';
export type { TokenStorage } from './token-storage.ts';
export { UserSession, REFUSED, type Refused } from './user-session.ts';
export { pageOf, entryOrder } from './pages.ts';
export type {
  Repository,
  Capabilities,
  RepositoryRecord,
  RecordFile,
  ResearchMetadata,
  Finding,
} from './repository.ts';
export { repositoryPort } from './repository-port.ts';
