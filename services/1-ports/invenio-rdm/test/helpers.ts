/** What the port's tests share: sample metadata, connecting a user, calling the port as the exporter. */
import { expect } from 'vitest';
import type { components } from '@rds/contracts/generated/repository';
import { bearer, call, type Answer, type RunningService } from '@rds/kit/testing';

export type ResearchMetadata = components['schemas']['ResearchMetadata'];
export type RepositoryRecord = components['schemas']['Record'];
export type RepositoryFile = components['schemas']['RecordFile'];

export const METADATA: ResearchMetadata = {
  title: 'Soil moisture, Bavaria 2023',
  creators: [
    {
      name: 'Lovelace, Ada',
      orcid: '0000-0002-1825-0097',
      affiliations: [{ name: 'Technical University of Munich', ror: '02kkvpp62' }],
    },
    { name: 'Alpine Data Lab', nameType: 'Organizational' },
  ],
  description: 'Hourly soil moisture at twelve sites.',
  publicationDate: '2024-05-01',
  resourceType: 'dataset',
  keywords: ['soil', 'moisture'],
  license: { id: 'CC-BY-4.0' },
  relatedIdentifiers: [
    { identifier: '10.1234/field-guide', scheme: 'doi', relationType: 'IsSupplementTo' },
  ],
  funding: [{ funder: { name: 'DFG', ror: '018mejw64' }, awardNumber: '4711', awardTitle: 'Soil' }],
  language: 'en',
  version: '1.0',
};

/** Stores the user's token for `servicename` with token-storage, as port-service does. */
export async function connect(
  tokenStorage: RunningService,
  servicename: string,
  user: string,
  grant: object,
): Promise<void> {
  const answer = await call(`${tokenStorage.url}/connections/${servicename}`, {
    method: 'PUT',
    headers: bearer({ issuer: 'port-service', audience: 'token-storage', user }),
    json: grant,
  });
  expect(answer.status, answer.text).toBe(200);
}

/** The port as the exporter calls it, acting for `user`. */
export function asExporter(url: string, servicename: string, user: string) {
  const headers = () => bearer({ issuer: 'exporter', audience: servicename, user });
  const send = (method: string, path: string, json?: unknown): Promise<Answer> =>
    call(`${url}${path}`, { method, headers: headers(), ...(json === undefined ? {} : { json }) });
  const fileQuery = (id: string, key: string) =>
    `/records/${id}/file?key=${encodeURIComponent(key)}`;
  return {
    send,
    createDraft: async (metadata: ResearchMetadata = METADATA): Promise<string> => {
      const answer = await send('POST', '/records', metadata);
      expect(answer.status, answer.text).toBe(201);
      return answer.json<RepositoryRecord>().id;
    },
    upload: (id: string, key: string, body: string | Buffer): Promise<Answer> =>
      call(`${url}${fileQuery(id, key)}`, {
        method: 'PUT',
        headers: { ...headers(), 'content-type': 'application/octet-stream' },
        body,
      }),
    deleteFile: (id: string, key: string) => send('DELETE', fileQuery(id, key)),
    files: async (id: string): Promise<RepositoryFile[]> => {
      const answer = await send('GET', `/records/${id}/files`);
      expect(answer.status, answer.text).toBe(200);
      return answer.json<{ files: RepositoryFile[] }>().files;
    },
    publish: (id: string) => send('POST', `/records/${id}/publish`),
    record: (id: string) => send('GET', `/records/${id}`),
  };
}

/** Runs `work` over `items`, `concurrency` at a time, in order of the items. */
export async function inBatches<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += concurrency) {
    results.push(...(await Promise.all(items.slice(i, i + concurrency).map(work))));
  }
  return results;
}
