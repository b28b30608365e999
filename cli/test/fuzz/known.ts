/**
 * What the valid requests reuse so they reach past "not found": ids and the latest ETag from
 * earlier answers (they are all the local user's, whichever service answered: a context made at
 * research-manager is the one the exporter exports), and the ports the embedded stack runs.
 */
import type { FuzzOperation } from './contract.ts';
import type { Known } from './cases.ts';
import type { Answer } from './send.ts';

export class KnownIds {
  private readonly ids: Known = new Map();

  /** Path templates of every operation: a POST to `/x` answering an id creates `/x/{xId}`. */
  constructor(private readonly paths: string[]) {}

  /** One set of values per valid request: a source port, a repository port, and none at all. */
  variants(): Known[] {
    const using = (port: string): Known => new Map([['port', port], ['source', port], ...this.ids]);
    return [using('local-folder'), using('local-archive'), new Map()];
  }

  remember(op: FuzzOperation, answer: Answer): void {
    if (answer.etag) this.ids.set('If-Match', answer.etag);
    const body = answer.status < 300 ? jsonObject(answer) : undefined;
    if (!body) return;
    if (op.method === 'POST' && typeof body.id === 'string') {
      const item = new RegExp(`^${escape(op.path)}/\\{([^}]+)\\}$`);
      for (const path of this.paths) {
        const name = item.exec(path)?.[1];
        if (name) this.ids.set(name, body.id);
      }
    }
    for (const [key, value] of Object.entries(body))
      if (key.endsWith('Id') && typeof value === 'string') this.ids.set(key, value);
  }
}

function jsonObject(answer: Answer): Record<string, unknown> | undefined {
  if (!answer.contentType.includes('json')) return undefined;
  try {
    const value: unknown = JSON.parse(answer.text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
