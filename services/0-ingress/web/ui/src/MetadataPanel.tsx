import { useEffect, useState } from 'react';
import { ApiError, call, get, messageOf } from './api.ts';
import type { Editing } from './ContextPage.tsx';
import { Notice } from './Notice.tsx';
import { prune, SchemaForm, type FieldErrors, type Schema } from './SchemaForm.tsx';

interface CheckResult {
  target: string;
  valid: boolean;
  errors: { field: string; detail: string }[];
  problem?: { detail: string };
}

/** A problem's pointer into the request (`#/metadata/creators/0`) as one into the metadata. */
const fieldOf = (pointer: string) => pointer.replace(/^#/, '').replace(/^\/metadata(?=\/|$)/, '');

function add(errors: FieldErrors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

/** The metadata form, with what the server and each target say about it next to each field. */
export function MetadataPanel({ editing }: { editing: Editing }) {
  const { context, change } = editing;
  const [schema, setSchema] = useState<Schema>();
  const [value, setValue] = useState<Record<string, unknown>>(context.metadata ?? {});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [checks, setChecks] = useState<CheckResult[]>([]);
  const [notice, setNotice] = useState<{ text: string; error: boolean }>();
  useEffect(() => {
    get<Schema>('/api/metadata/schema').then(setSchema, (error: unknown) =>
      setNotice({ text: messageOf(error), error: true }),
    );
  }, []);

  const check = async (metadata: unknown) => {
    const targets = [...new Set(context.targets.map((t) => t.port))];
    if (targets.length === 0) return setChecks([]);
    const { body } = await call<{ results: CheckResult[] }>('POST', '/api/metadata/checks', {
      json: { metadata, targets },
    });
    const found: FieldErrors = {};
    for (const result of body.results)
      for (const error of result.errors)
        add(found, error.field, `${result.target}: ${error.detail}`);
    setErrors(found);
    setChecks(body.results);
  };

  const save = async () => {
    setNotice(undefined);
    const metadata = prune(value) ?? {};
    try {
      await change('PATCH', '', { metadata });
      await check(metadata);
      setNotice({ text: 'Metadata saved.', error: false });
    } catch (error) {
      const found: FieldErrors = {};
      if (error instanceof ApiError)
        for (const e of error.problem.errors ?? [])
          // Shown at the field it is about: the path in front of the detail says nothing more.
          add(found, fieldOf(e.pointer), e.detail.replace(/^\/\S* /, ''));
      setErrors(found);
      setNotice({ text: `Not saved: ${messageOf(error)}`, error: true });
    }
  };

  const folderSource = context.sources.find((s) => 'folder' in s.settings);
  const importCrate = async () => {
    if (!folderSource || !('folder' in folderSource.settings)) return;
    try {
      const { body } = await call<{ metadata: Record<string, unknown>; found: boolean }>(
        'POST',
        '/api/metadata/ro-crate/read',
        { json: { source: folderSource.port, folder: folderSource.settings.folder } },
      );
      if (body.found) setValue(body.metadata);
      setNotice({
        text: body.found
          ? 'Imported from the folder’s RO-Crate; check it, then save.'
          : `There is no RO-Crate (ro-crate-metadata.json) in ${folderSource.settings.folder}.`,
        error: false,
      });
    } catch (error) {
      setNotice({ text: messageOf(error), error: true });
    }
  };

  return (
    <section className="panel" aria-labelledby="metadata-title">
      <h2 id="metadata-title">Metadata</h2>
      <p>Describe the research once; every target receives this description.</p>
      {folderSource && (
        <button type="button" className="secondary" onClick={importCrate}>
          Import from RO-Crate
        </button>
      )}
      {schema ? (
        <form
          className="metadata-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <SchemaForm schema={schema} value={value} errors={errors} onChange={setValue} />
          <CheckSummary checks={checks} />
          <Notice notice={notice} />
          <button type="submit">Save metadata</button>
        </form>
      ) : (
        <Notice notice={notice} />
      )}
    </section>
  );
}

function CheckSummary({ checks }: { checks: CheckResult[] }) {
  if (checks.length === 0) return null;
  return (
    <ul className="checks" aria-label="What each target says">
      {checks.map((result) => (
        <li key={result.target} className={result.valid ? 'success' : 'error'}>
          {result.problem
            ? `${result.target} could not be asked: ${result.problem.detail}`
            : result.valid
              ? `${result.target} accepts this metadata.`
              : `${result.target} needs changes: ${result.errors.length} problem(s), shown at the fields.`}
        </li>
      ))}
    </ul>
  );
}
