import { actingUser, ProblemError, type ContractClient, type Handlers } from '@rds/kit';
import type { components, operations } from '@rds/contracts/generated/metadata';
import type { operations as FileStorageOperations } from '@rds/contracts/generated/file-storage';
import type { operations as RepositoryOperations } from '@rds/contracts/generated/repository';
import type { Callees } from '@rds/ports';
import { checkTarget, type RepositoryPort } from './checks.ts';
import { applyMetadata, CrateDocument, fieldsNotTaken, metadataOf } from '@rds/ro-crate';
import { downloadCrate, uploadCrate, type Source } from './source.ts';

/** A port's client for one interface by service name; undefined for a port RDS does not know. */
type PortsOf<Operations> = (name: string) => Promise<ContractClient<Operations> | undefined>;

type RoCrate = components['schemas']['RoCrate'];

/** The crate as RDS writes it: an RO-Crate 1.2, which declares its context from then on. */
function asWritten(crate: CrateDocument): RoCrate {
  crate.conformToRoCrate12();
  return crate.toJSON() as RoCrate;
}

export interface MetadataParts {
  schema: Record<string, unknown>;
  storagePort: PortsOf<FileStorageOperations>;
  repositoryPort: PortsOf<RepositoryOperations>;
  /** Which names are ports of which interface: only those are called. */
  callees: Callees;
}

export function handlers({
  schema,
  storagePort,
  repositoryPort,
  callees,
}: MetadataParts): Handlers<operations> {
  /** The storage port a request names, once the registry says it is one. */
  const source = async (name: string): Promise<Source> => {
    await callees.check(name, 'fileStorage');
    const port = await storagePort(name);
    if (!port)
      throw new ProblemError(422, {
        detail: `RDS has no storage port named ${name}.`,
        messageKey: 'source.unknown',
        args: { source: name },
      });
    return { name, port };
  };

  /** A target's port; none for a name that is no repository port, which its result then says. */
  const repository = async (name: string): Promise<RepositoryPort | undefined> => {
    try {
      await callees.check(name, 'repository');
    } catch (error) {
      if (error instanceof ProblemError && error.statusCode === 422) return undefined;
      throw error;
    }
    return repositoryPort(name);
  };

  return {
    getSchema: async (_request, reply) =>
      reply.type('application/schema+json').code(200).send(schema),

    readCrate: async (request) => {
      actingUser(request);
      const { body } = request;
      const json = await downloadCrate(await source(body.source), body.folder);
      if (json === undefined) return { metadata: {}, found: false, notTaken: [] };
      const crate = CrateDocument.parse(json);
      return { metadata: metadataOf(crate), found: true, notTaken: fieldsNotTaken(crate) };
    },

    writeCrate: async (request) => {
      actingUser(request);
      const { body } = request;
      const storage = await source(body.source);
      const json = await downloadCrate(storage, body.folder);
      const crate = json === undefined ? CrateDocument.empty() : CrateDocument.parse(json);
      applyMetadata(crate, body.metadata);
      await uploadCrate(storage, body.folder, asWritten(crate));
      return { metadata: metadataOf(crate), created: json === undefined };
    },

    fromCrate: async (request) => ({
      metadata: metadataOf(CrateDocument.parse(request.body.crate)),
    }),

    toCrate: async (request) => {
      const { body } = request;
      const crate =
        body.crate === undefined ? CrateDocument.empty() : CrateDocument.parse(body.crate);
      applyMetadata(crate, body.metadata);
      return { crate: asWritten(crate) };
    },

    checkMetadata: async (request) => {
      actingUser(request);
      const { metadata, targets } = request.body;
      return {
        results: await Promise.all(
          targets.map(async (t) => checkTarget(t, await repository(t), metadata)),
        ),
      };
    },
  };
}
