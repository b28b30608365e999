import { actingUser, ProblemError, type Handler, type HttpClient } from '@rds/kit';
import type { Callees } from '@rds/ports';
import { checkTarget } from './checks.ts';
import { applyMetadata, CrateDocument, metadataOf, type ResearchMetadata } from '@rds/ro-crate';
import { downloadCrate, uploadCrate, type Source } from './source.ts';

export interface MetadataParts {
  schema: object;
  /** The client of a port by service name; undefined for a port RDS does not know. */
  port: (name: string) => HttpClient | undefined;
  /** Which names are ports of which interface: only those are called. */
  callees: Callees;
}

export function handlers({ schema, port, callees }: MetadataParts): Record<string, Handler> {
  /** The storage port a request names, once the registry says it is one. */
  const source = async (name: string): Promise<Source> => {
    await callees.check(name, 'fileStorage');
    const client = port(name);
    if (!client)
      throw new ProblemError(422, {
        detail: `RDS has no storage port named ${name}.`,
        messageKey: 'source.unknown',
        args: { source: name },
      });
    return { name, port: client };
  };

  /** A target's port; none for a name that is no repository port, which its result then says. */
  const repository = async (name: string): Promise<HttpClient | undefined> => {
    try {
      await callees.check(name, 'repository');
    } catch (error) {
      if (error instanceof ProblemError && error.statusCode === 422) return undefined;
      throw error;
    }
    return port(name);
  };

  return {
    getSchema: async (_request, reply) => reply.type('application/schema+json').send(schema),

    readCrate: async (request) => {
      actingUser(request);
      const body = request.body as { source: string; folder: string };
      const json = await downloadCrate(await source(body.source), body.folder);
      if (json === undefined) return { metadata: {}, found: false };
      return { metadata: metadataOf(CrateDocument.parse(json)), found: true };
    },

    writeCrate: async (request) => {
      actingUser(request);
      const body = request.body as { source: string; folder: string; metadata: ResearchMetadata };
      const storage = await source(body.source);
      const json = await downloadCrate(storage, body.folder);
      const crate = json === undefined ? CrateDocument.empty() : CrateDocument.parse(json);
      applyMetadata(crate, body.metadata);
      crate.conformToRoCrate12();
      await uploadCrate(storage, body.folder, crate.toJSON());
      return { metadata: metadataOf(crate), created: json === undefined };
    },

    fromCrate: async (request) => {
      const { crate } = request.body as { crate: unknown };
      return { metadata: metadataOf(CrateDocument.parse(crate)) };
    },

    toCrate: async (request) => {
      const body = request.body as { metadata: ResearchMetadata; crate?: unknown };
      const crate =
        body.crate === undefined ? CrateDocument.empty() : CrateDocument.parse(body.crate);
      applyMetadata(crate, body.metadata);
      crate.conformToRoCrate12();
      return { crate: crate.toJSON() };
    },

    checkMetadata: async (request) => {
      actingUser(request);
      const { metadata, targets } = request.body as {
        metadata: ResearchMetadata;
        targets: string[];
      };
      return {
        results: await Promise.all(
          targets.map(async (t) => checkTarget(t, await repository(t), metadata)),
        ),
      };
    },
  };
}
