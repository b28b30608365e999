import { handBack, type ContractClient, type SomeHandlers } from '@rds/kit';
import type { operations } from '@rds/contracts/generated/web';
import type { operations as MetadataOperations } from '@rds/contracts/generated/metadata';

/** The metadata form's schema, the targets' checks of it, and an RO-Crate's metadata to import. */
export function metadataHandlers(
  metadata: ContractClient<MetadataOperations>,
): SomeHandlers<operations, 'getMetadataSchema' | 'checkMetadata' | 'readCrate'> {
  return {
    getMetadataSchema: async (_request, reply) => handBack(reply, await metadata.call('getSchema')),
    checkMetadata: async (request, reply) =>
      handBack(reply, await metadata.call('checkMetadata', { json: request.body })),
    readCrate: async (request, reply) =>
      handBack(reply, await metadata.call('readCrate', { json: request.body })),
  };
}
