import { bundle, createConfig } from '@redocly/openapi-core';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, { operationId?: string } & Record<string, unknown>>>;
  components?: { securitySchemes?: Record<string, unknown> } & Record<string, unknown>;
  [key: string]: unknown;
}

export interface Operation {
  operationId: string;
  method: string;
  path: string;
  /** Its request body: the media types it may have (lower case), and whether it must be sent. */
  body?: { types: string[]; required: boolean };
}

interface RequestBody {
  content?: Record<string, unknown>;
  required?: boolean;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/**
 * Reads an OpenAPI document (YAML or JSON) from the repository, never from the network, with the
 * components it shares with other contracts (`../common.yaml#/...`) bundled in.
 */
export async function loadContract(file: string): Promise<OpenApiDocument> {
  const result = await bundle({ ref: file, config: await createConfig({}), dereference: false });
  if (result.problems.length > 0) {
    throw new Error(`${file}: ${result.problems.map((p) => p.message).join('; ')}`);
  }
  const document = result.bundle.parsed as OpenApiDocument;
  if (!document?.openapi?.startsWith('3.1'))
    throw new Error(`${file}: not an OpenAPI 3.1 document`);
  return document;
}

export function operations(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => {
        if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
        const body = op.requestBody as RequestBody | undefined;
        return {
          operationId: op.operationId,
          method: method.toUpperCase(),
          path,
          ...(body && {
            body: {
              types: Object.keys(body.content ?? {}).map((t) => t.toLowerCase()),
              required: body.required === true,
            },
          }),
        };
      }),
  );
}

/**
 * Every JSON-family media type the document names, for a request or an answer
 * (`application/problem+json`, `application/schema+json`…).
 */
export function jsonMediaTypes(document: OpenApiDocument): Set<string> {
  const found = JSON.stringify(document).match(/"application\/[\w.-]+\+json"/g) ?? [];
  return new Set(found.map((quoted) => quoted.slice(1, -1).toLowerCase()));
}
