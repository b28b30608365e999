import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { actingUser, type Handler } from '@rds/kit';
import type { components } from '@rds/contracts/generated/repository';
import type { Archive } from './archive.ts';
import { findings, REQUIRED_METADATA } from './check.ts';
import { fileKey } from './names.ts';
import type { ResearchMetadata, StoredFile, StoredRecord } from './records.ts';

type ApiRecord = components['schemas']['Record'];
type RecordFile = components['schemas']['RecordFile'];
type Capabilities = components['schemas']['Capabilities'];

const CAPABILITIES: Capabilities = {
  folders: true,
  requiredMetadata: REQUIRED_METADATA,
  publicationModes: ['draft', 'publish', 'new-version'],
  checksum: 'sha256',
};

const recordId = (request: FastifyRequest) => (request.params as { recordId: string }).recordId;
const keyOf = (request: FastifyRequest) => fileKey((request.query as { key: string }).key);

/**
 * A record as the repository interface says it. It has no `links`: the bag is a folder on the
 * server, and its path (a `file://` URL) would mean nothing in the user's browser and tell them
 * how the server is laid out.
 */
function recordOf(record: StoredRecord): ApiRecord {
  return {
    id: record.id,
    state: record.state,
    ...(record.metadata.title ? { title: record.metadata.title } : {}),
    version: String(record.version),
    parentId: record.parentId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.publishedAt ? { publishedAt: record.publishedAt } : {}),
  };
}

// Uploads are atomic: a file the archive lists is always complete.
const fileOf = ({ key, size, sha256 }: StoredFile): RecordFile => ({
  key,
  size,
  checksum: `sha256:${sha256}`,
  status: 'completed',
});

export function recordHandlers(archive: Archive): { [operationId: string]: Handler } {
  return {
    getCapabilities: async () => CAPABILITIES,

    checkMetadata: async (request) => {
      const errors = findings(request.body as ResearchMetadata);
      return { valid: errors.length === 0, errors };
    },

    createDraft: async (request, reply) =>
      reply
        .code(201)
        .send(
          recordOf(
            await archive.createDraft(actingUser(request), request.body as ResearchMetadata),
          ),
        ),

    getRecord: async (request) =>
      recordOf(await archive.record(actingUser(request), recordId(request))),

    discardDraft: async (request, reply) => {
      await archive.discard(actingUser(request), recordId(request));
      return reply.code(204).send();
    },

    updateMetadata: async (request) =>
      recordOf(
        await archive.updateMetadata(
          actingUser(request),
          recordId(request),
          request.body as ResearchMetadata,
        ),
      ),

    listFiles: async (request) => {
      const record = await archive.record(actingUser(request), recordId(request));
      return { files: record.files.map(fileOf) };
    },

    uploadFile: async (request, reply) => {
      const file = await archive.upload(
        actingUser(request),
        recordId(request),
        keyOf(request),
        request.body as Readable,
        Number(request.headers['content-length']),
      );
      return reply.code(201).send(fileOf(file));
    },

    deleteFile: async (request, reply) => {
      await archive.deleteFile(actingUser(request), recordId(request), keyOf(request));
      return reply.code(204).send();
    },

    publishRecord: async (request) =>
      recordOf(await archive.publish(actingUser(request), recordId(request))),

    newVersion: async (request, reply) =>
      reply
        .code(201)
        .send(recordOf(await archive.newVersion(actingUser(request), recordId(request)))),
  };
}
