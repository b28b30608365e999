import type { components } from '@rds/contracts/generated/repository';
import type { TargetReport } from './research-manager.ts';

export type ApiRecord = components['schemas']['Record'];

const DOI = /^10\.\d{4,9}\/\S+$/;
const WEB_URL = /^https?:\/\//;

const linkOf = (record: ApiRecord) => {
  const url = record.links?.html;
  return url && WEB_URL.test(url) ? url : undefined;
};

/**
 * What research-manager keeps of a published record (only values of the shape its contract
 * allows): the version the next export of the context makes a new version of.
 */
export function publishedReport(record: ApiRecord): TargetReport {
  const url = linkOf(record);
  return {
    recordId: record.id,
    ...(record.doi && DOI.test(record.doi) ? { doi: record.doi } : {}),
    ...(url ? { recordUrl: url } : {}),
    ...(record.version ? { version: record.version.slice(0, 100) } : {}),
  };
}

/** The part of a report about the record published, without any draft. */
export function publishedPart(report: TargetReport | undefined): TargetReport {
  if (!report?.recordId) return {};
  const { recordId, doi, recordUrl, version } = report;
  return {
    recordId,
    ...(doi ? { doi } : {}),
    ...(recordUrl ? { recordUrl } : {}),
    ...(version ? { version } : {}),
  };
}

/**
 * A draft at the target, beside the record published before it (kept, so that a draft lost
 * later does not lose which record the next version follows). `complete`: it holds every file,
 * ready to be published as it is.
 */
export function draftReport(
  draft: ApiRecord,
  before: TargetReport | undefined,
  complete = false,
): TargetReport {
  const url = linkOf(draft);
  return {
    ...publishedPart(before),
    draftId: draft.id,
    ...(url ? { draftUrl: url } : {}),
    ...(complete ? { draftComplete: true } : {}),
  };
}
