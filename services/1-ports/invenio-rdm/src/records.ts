import { retry, UpstreamError, type RetryPolicy } from '@rds/kit';
import type { Capabilities, Repository } from '@rds/ports';
import {
  answered,
  draftBody,
  locate,
  missingDraft,
  paths,
  toRecord,
  type InvenioFieldError,
  type InvenioFiles,
  type InvenioRecord,
} from './invenio.ts';
import {
  canonicalPointer,
  toInvenio,
  type Mapped,
  type MetadataRules,
  type ResearchMetadata,
} from './metadata.ts';
import type { Finding } from '@rds/ports';
import { problems, refusalOf, unexpected } from './problems.ts';
import type { Answer, InvenioSession, Upstream } from './session.ts';

/** What a record is: everything of the repository interface but its files. */
export type RecordOperations = Omit<Repository, 'listFiles' | 'putFile' | 'deleteFile'>;

/**
 * A publish that failed upstream is tried three times, 1 s and 2 s apart, the record read before
 * each retry.
 */
const PUBLISH_RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 2000,
  jitter: false,
};

/** A publish the repository may or may not have done: the record was read, and is no record yet. */
class PublishUnconfirmed extends UpstreamError {}

/** The record operations of one user's session with the repository. */
export function recordOperations(
  upstream: Upstream,
  rules: MetadataRules,
  capabilities: Capabilities,
): (session: InvenioSession) => RecordOperations {
  const { servicename } = upstream;

  /** The repository's metadata, or a 422 naming every field it would refuse. */
  function invenioMetadata(metadata: ResearchMetadata): Mapped {
    const mapped = toInvenio(metadata, rules);
    if (mapped.findings.length > 0) throw problems.metadataRefused(servicename, mapped.findings);
    return mapped;
  }

  /** What the repository refused of the metadata it was sent, in canonical pointers, with its reasons. */
  function refusedMetadata(errors: InvenioFieldError[] | undefined): Finding[] {
    const reasons = new Map<string, string[]>();
    for (const error of errors ?? []) {
      if (!error.field?.startsWith('metadata')) continue;
      const field = canonicalPointer(error.field);
      reasons.set(field, [...(reasons.get(field) ?? []), ...(error.messages ?? [])]);
    }
    return [...reasons].map(([field, messages]) => ({
      field,
      detail: `${servicename} refused this value${messages.length ? `: ${messages.join(' ')}` : ''}`,
    }));
  }

  /**
   * A draft InvenioRDM would not save: an id outside its vocabularies ("Invalid value <id>.",
   * placed by the id), or any other refusal, in its own words.
   */
  function draftRefused(answer: Answer<InvenioRecord>, mapped: Mapped, id: string): Error {
    if (answer.status !== 400) return unexpected(servicename, answer, id);
    const reason = refusalOf(answer);
    const refused = refusedMetadata(answer.data?.errors);
    if (refused.length > 0) return problems.metadataRefused(servicename, refused);
    const value = /^Invalid value (.+)\.$/.exec(reason)?.[1];
    const field = value === undefined ? undefined : mapped.vocabularyIds.get(value);
    if (field === undefined) return problems.refused(servicename, reason);
    return problems.metadataRefused(servicename, [
      { field, detail: `${servicename} refused this value: ${reason}` },
    ]);
  }

  /** The record, published or not. */
  async function readRecord(session: InvenioSession, id: string): Promise<InvenioRecord> {
    const published = await readPublished(session, id);
    if (published) return published;
    const draft = await session.call<InvenioRecord>({ path: paths.draft(id) });
    if (draft.status === 404) throw problems.recordNotFound(id);
    return answered(draft, [200], servicename, id);
  }

  async function readPublished(
    session: InvenioSession,
    id: string,
  ): Promise<InvenioRecord | undefined> {
    const answer = await session.call<InvenioRecord>({ path: paths.record(id) });
    if (answer.status === 404) return undefined;
    return answered(answer, [200], servicename, id);
  }

  /** A publish refused for what the draft lacks: its metadata (422) or its files (409). */
  function publishRefused(id: string, answer: Answer<{ errors?: InvenioFieldError[] }>): Error {
    const refused = refusedMetadata(answer.data?.errors);
    if (refused.length > 0) return problems.metadataRefused(servicename, refused);
    if (answer.data?.errors?.some((e) => e.field?.startsWith('files')))
      return problems.filesIncomplete(id);
    return unexpected(servicename, answer, id);
  }

  return (session) => ({
    capabilities: async () => capabilities,

    checkMetadata: async (metadata) => toInvenio(metadata as ResearchMetadata, rules).findings,

    createDraft: async (metadata) => {
      const mapped = invenioMetadata(metadata as ResearchMetadata);
      const answer = await session.call<InvenioRecord>({
        method: 'POST',
        path: paths.records,
        json: draftBody(mapped.metadata),
      });
      if (answer.status !== 201) throw draftRefused(answer, mapped, 'new');
      const draft = answered(answer, [201], servicename, 'new');
      const refused = refusedMetadata(draft.errors);
      if (refused.length > 0) {
        // InvenioRDM keeps a draft with errors; one that cannot be published is only in the way.
        await session.call({ method: 'DELETE', path: paths.draft(String(draft.id)) });
        throw problems.metadataRefused(servicename, refused);
      }
      return toRecord(draft);
    },

    updateMetadata: async (id, metadata) => {
      const mapped = invenioMetadata(metadata as ResearchMetadata);
      const answer = await session.call<InvenioRecord>({
        method: 'PUT',
        path: paths.draft(id),
        json: draftBody(mapped.metadata),
      });
      if (answer.status === 404) throw await missingDraft(session, servicename, id, 'changed');
      if (answer.status !== 200) throw draftRefused(answer, mapped, id);
      const draft = answered(answer, [200], servicename, id);
      const refused = refusedMetadata(draft.errors);
      if (refused.length > 0) throw problems.metadataRefused(servicename, refused);
      return toRecord(draft);
    },

    readRecord: async (id) => toRecord(await readRecord(session, id)),

    discardDraft: async (id) => {
      const answer = await session.call({ method: 'DELETE', path: paths.draft(id) });
      if (answer.status === 404) throw await missingDraft(session, servicename, id, 'discarded');
      if (answer.status !== 204) throw unexpected(servicename, answer, id);
    },

    publish: (id) =>
      retry(
        async () => {
          let answer: Answer<InvenioRecord & { errors?: InvenioFieldError[] }> | undefined;
          try {
            answer = await session.call({
              method: 'POST',
              path: `${paths.draft(id)}/actions/publish`,
            });
          } catch (error) {
            // The connection failed: the repository may have published or not.
            if (!(error instanceof UpstreamError) || error.upstreamStatus !== undefined)
              throw error;
          }
          if (answer && [200, 202].includes(answer.status) && answer.data)
            return toRecord(answer.data);
          if (answer?.status === 400) throw publishRefused(id, answer);
          if (answer && ![404, 502, 503, 504].includes(answer.status))
            throw unexpected(servicename, answer, id);
          // No draft (404), or no answer to trust (5xx): Zenodo answers 504 to publishes that did
          // succeed. Only the record's state tells, so it is read before anything is repeated.
          const published = await readPublished(session, id);
          if (published) return toRecord(published);
          if (answer?.status === 404) throw problems.recordNotFound(id);
          throw new PublishUnconfirmed(servicename, answer?.status);
        },
        PUBLISH_RETRY,
        { isTransient: (error) => error instanceof PublishUnconfirmed },
      ),

    newVersion: async (id) => {
      // InvenioRDM answers with the existing draft of the next version, if there is one, rather
      // than making a second: the call is safe to repeat.
      const answer = await session.call<InvenioRecord>({
        method: 'POST',
        path: `${paths.record(id)}/versions`,
        idempotent: true,
      });
      if (answer.status === 404) {
        throw (await locate(session, servicename, id)) === 'draft'
          ? problems.notPublished(id)
          : problems.recordNotFound(id);
      }
      const draft = answered(answer, [200, 201], servicename, id);
      const draftId = String(draft.id);
      const files = answered(
        await session.call<InvenioFiles>({ path: paths.draftFiles(draftId) }),
        [200],
        servicename,
        draftId,
      );
      // InvenioRDM imports only into a draft without files; a reused draft keeps what it has.
      if (!files.entries?.length) {
        const imported = await session.call({
          method: 'POST',
          path: `${paths.draft(draftId)}/actions/files-import`,
        });
        if (![200, 201].includes(imported.status)) throw unexpected(servicename, imported, draftId);
      }
      return toRecord(draft);
    },
  });
}
