/** InvenioRDM's records API as this port uses it: paths, answers, and how they map to the contract. */
import type { components } from '@rds/contracts/generated/repository';
import { problems, unexpected } from './problems.ts';
import type { Answer, InvenioSession } from './session.ts';

export type RepositoryRecord = components['schemas']['Record'];
export type RepositoryFile = components['schemas']['RecordFile'];

export interface InvenioFieldError {
  field?: string;
  messages?: string[];
}

export interface InvenioRecord {
  id: string | number;
  is_published?: boolean;
  created?: string;
  updated?: string;
  metadata?: { title?: unknown };
  pids?: { doi?: { identifier?: string } };
  parent?: { id?: string | number };
  versions?: { index?: number };
  links?: { self_html?: unknown; doi?: unknown; latest_html?: unknown };
  errors?: InvenioFieldError[];
}

export interface InvenioFile {
  key: string;
  status?: string;
  size?: number;
  checksum?: string;
}

export interface InvenioFiles {
  entries?: InvenioFile[];
}

const enc = encodeURIComponent;

export const paths = {
  records: 'api/records',
  record: (id: string) => `api/records/${enc(id)}`,
  draft: (id: string) => `api/records/${enc(id)}/draft`,
  draftFiles: (id: string) => `api/records/${enc(id)}/draft/files`,
  draftFile: (id: string, key: string) => `api/records/${enc(id)}/draft/files/${enc(key)}`,
  recordFiles: (id: string) => `api/records/${enc(id)}/files`,
};

/** The draft body InvenioRDM takes: public, with files. */
export function draftBody(metadata: object): object {
  return { access: { record: 'public', files: 'public' }, files: { enabled: true }, metadata };
}

export function toRecord(record: InvenioRecord): RepositoryRecord {
  const doi = record.pids?.doi?.identifier;
  const link = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const links = withoutUndefined({
    html: link(record.links?.self_html),
    doi: doi ? (link(record.links?.doi) ?? `https://doi.org/${doi}`) : undefined,
    latest: link(record.links?.latest_html),
  });
  return withoutUndefined({
    id: String(record.id),
    state: record.is_published ? ('published' as const) : ('draft' as const),
    title: typeof record.metadata?.title === 'string' ? record.metadata.title : undefined,
    doi,
    version: record.versions?.index !== undefined ? String(record.versions.index) : undefined,
    parentId: record.parent?.id !== undefined ? String(record.parent.id) : undefined,
    links: Object.keys(links).length > 0 ? links : undefined,
    createdAt: isoTime(record.created),
    updatedAt: isoTime(record.updated),
  });
}

export function toFiles(files: InvenioFiles | undefined): RepositoryFile[] {
  return (files?.entries ?? []).map((entry) =>
    withoutUndefined({
      key: entry.key,
      status: entry.status === 'completed' ? ('completed' as const) : ('pending' as const),
      size: Number.isInteger(entry.size) ? entry.size : undefined,
      checksum:
        typeof entry.checksum === 'string' && /^md5:[0-9a-f]+$/.test(entry.checksum)
          ? entry.checksum
          : undefined,
    }),
  );
}

/** Where a record is, when a call about it found nothing: published, a draft, or nowhere. */
export async function locate(
  session: InvenioSession,
  servicename: string,
  id: string,
): Promise<'published' | 'draft' | undefined> {
  const record = await session.call({ path: paths.record(id) });
  if (record.status === 200) return 'published';
  if (record.status !== 404) throw unexpected(servicename, record, id);
  const draft = await session.call({ path: paths.draft(id) });
  if (draft.status === 200) return 'draft';
  if (draft.status !== 404) throw unexpected(servicename, draft, id);
  return undefined;
}

/** The problem for a draft that was not found: the record is published, or does not exist. */
export async function missingDraft(
  session: InvenioSession,
  servicename: string,
  id: string,
  action: string,
): Promise<Error> {
  return (await locate(session, servicename, id)) === 'published'
    ? problems.notADraft(id, action)
    : problems.recordNotFound(id);
}

/** The answer's data when its status is one of `statuses`; otherwise the problem it means. */
export function answered<T>(
  answer: Answer<T>,
  statuses: number[],
  servicename: string,
  id: string,
): T {
  if (!statuses.includes(answer.status) || answer.data === undefined)
    throw unexpected(servicename, answer, id);
  return answer.data;
}

/** InvenioRDM has written times without a zone (`2020-11-27 10:52:23.945755`); they are UTC. */
function isoTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const normal = value.replace(' ', 'T');
  const time = Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/i.test(normal) ? normal : `${normal}Z`);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
