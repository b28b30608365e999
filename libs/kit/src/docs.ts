import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { OpenApiDocument } from './contract.ts';
import { ProblemError } from './problems.ts';

const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** Starts Swagger UI on the document the page holds, with nothing fetched from elsewhere. */
const START = `const page = document.getElementById('openapi');
window.ui = SwaggerUIBundle({
  spec: JSON.parse(page.textContent),
  dom_id: '#api-reference',
  deepLinking: true,
  validatorUrl: null,
});
`;

/** The files an API reference page loads, by name: Swagger UI's own, and the lines that start it. */
export const DOCS_ASSETS: Record<string, { type: string; file?: string; text?: string }> = {
  'swagger-ui-bundle.js': {
    type: 'text/javascript',
    file: join(SWAGGER_UI, 'swagger-ui-bundle.js'),
  },
  'swagger-ui.css': { type: 'text/css', file: join(SWAGGER_UI, 'swagger-ui.css') },
  'favicon.png': { type: 'image/png', file: join(SWAGGER_UI, 'favicon-32x32.png') },
  'start.js': { type: 'text/javascript', text: START },
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * An HTML page rendering an OpenAPI document, the document inside it, so that it works offline
 * and from a file; `assets` is where {@link DOCS_ASSETS} are, relative to the page.
 */
export function apiReferencePage(document: OpenApiDocument, title: string, assets: string): string {
  // `<` escaped, so that no text in the document can end the script element.
  const json = JSON.stringify(document).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" type="image/png" href="${assets}favicon.png">
<link rel="stylesheet" href="${assets}swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script type="application/json" id="openapi">${json}</script>
<script src="${assets}swagger-ui-bundle.js"></script>
<script src="${assets}start.js"></script>
</body>
</html>
`;
}

/**
 * The service's contract as JSON at `/openapi.json`, and rendered at `/docs` with the assets
 * served by the service itself: users and the machine may be offline.
 */
export function registerDocs(app: FastifyInstance, contract: OpenApiDocument, title: string): void {
  const opts = { config: { infrastructure: true } };
  const json = JSON.stringify(contract);
  const page = apiReferencePage(contract, title, '/docs/assets/');
  app.get('/openapi.json', opts, async (_request, reply) =>
    reply.type('application/json').send(json),
  );
  app.get('/docs', opts, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page),
  );
  app.get('/docs/assets/:name', opts, async (request, reply) => {
    const { name } = request.params as { name: string };
    const asset = Object.hasOwn(DOCS_ASSETS, name) ? DOCS_ASSETS[name] : undefined;
    if (!asset) {
      throw new ProblemError(404, {
        detail: `The API reference has no file ${name}.`,
        messageKey: 'request.notFound',
      });
    }
    reply.type(asset.type).header('cache-control', 'public, max-age=3600');
    return reply.send(asset.file ? createReadStream(asset.file) : asset.text);
  });
}
