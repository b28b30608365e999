import { actingUser, ProblemError, type Handler, type HttpClient } from '@rds/kit';
import { checkTarget } from './checks.ts';
import { applyMetadata, CrateDocument, metadataOf, type ResearchMetadata } from '@rds/ro-crate';
import { downloadCrate, uploadCrate, type Source } from './source.ts';

export interface MetadataParts {
  schema: object;
  /** The client of a port by service name; undefined for a port RDS does not know. */
  port: (name: string) => HttpClient | undefined;
}

export function handlers({ schema, port }: MetadataParts): Record<string, Handler> {
  const source = (name: string): Source => {
    const client = port(name);
    if (!client)
      throw new ProblemError(422, {
        detail: `RDS has no storage port named ${name}.`,
        messageKey: 'source.unknown',
        args: { source: name },
      });
    return { name, port: client };
  };

  return {
    getSchema: async (_request, reply) => reply.type('application/schema+json').send(schema),

    readCrate: async (request) => {
      actingUser(request);
      const body = request.body as { source: string; folder: string };
      const json = await downloadCrate(source(body.source), body.folder);
      if (json === undefined) return { metadata: {}, found: false };
      return { metadata: metadataOf(CrateDocument.parse(json)), found: true };
    },

    writeCrate: async (request) => {
      actingUser(request);
      const body = request.body as { source: string; folder: string; metadata: ResearchMetadata };
      const storage = source(body.source);
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
        results: await Promise.all(targets.map((t) => checkTarget(t, port(t), metadata))),
      };
    },
  };
}
