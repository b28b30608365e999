import type { Reported } from './api.ts';

/** What a citation needs from the metadata. */
export interface Citable {
  creators?: { name: string }[];
  title?: string;
  publisher?: string;
  publicationDate?: string;
}

/**
 * A citation in DataCite's recommended form: Creator (Year). Title. Version. Publisher.
 * Identifier. The publisher is the repository where the metadata names none, as it does.
 */
export function citation(metadata: Citable, record: Reported, repository: string): string {
  const creators = (metadata.creators ?? []).map((c) => c.name).join('; ');
  const year = (metadata.publicationDate ?? new Date().toISOString()).slice(0, 4);
  const link = record.doi ? `https://doi.org/${record.doi}` : record.recordUrl;
  return [
    `${creators || 'Anonymous'} (${year}).`,
    `${metadata.title ?? 'Untitled'}.`,
    record.version ? `Version ${record.version}.` : '',
    `${metadata.publisher ?? repository}.`,
    link ?? '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A published record: its DOI as a link, where people see it, its version, how to cite it. */
export function RecordSummary({
  record,
  repository,
  metadata,
}: {
  record: Reported;
  repository: string;
  metadata: Citable;
}) {
  return (
    <dl className="record">
      {record.doi && (
        <>
          <dt>DOI</dt>
          <dd>
            <a href={`https://doi.org/${record.doi}`}>{record.doi}</a>
          </dd>
        </>
      )}
      {record.recordUrl && (
        <>
          <dt>Record</dt>
          <dd>
            <a href={record.recordUrl}>View the record in {repository}</a>
          </dd>
        </>
      )}
      {record.version && (
        <>
          <dt>Version</dt>
          <dd>{record.version}</dd>
        </>
      )}
      <dt>Cite as</dt>
      <dd className="citation">{citation(metadata, record, repository)}</dd>
    </dl>
  );
}
