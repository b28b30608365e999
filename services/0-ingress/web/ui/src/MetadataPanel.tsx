import { useEffect, useImperativeHandle, useState, type Ref } from 'react';
import { answer, api, ApiError, bodyOf, type CheckResult, type ResearchMetadata } from './api.ts';
import type { Editing } from './ContextPage.tsx';
import { focusField, inWords, labelOf } from './fields.ts';
import { targetSays, withDisplayNames, type Catalogue } from './names.ts';
import { failureNotice, Notice, type NoticeText } from './Notice.tsx';
import { prune, SchemaForm, type FieldErrors, type Schema } from './SchemaForm.tsx';
import { markUnsaved } from './unsaved.ts';

/** What the page may ask of the form: an export saves what is on screen first. */
export interface MetadataForm {
  /** Saves the form when it differs from what is saved; false when it could not be saved. */
  saveIfChanged: () => Promise<boolean>;
}

type Metadata = Record<string, unknown>;

/** A problem's pointer into the request (`#/metadata/creators/0`) as one into the metadata. */
const fieldOf = (pointer: string) => pointer.replace(/^#/, '').replace(/^\/metadata(?=\/|$)/, '');

function add(errors: FieldErrors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

const same = (a: unknown, b: unknown) => JSON.stringify(prune(a)) === JSON.stringify(prune(b));

/** Text fields holding only spaces: a name of spaces names nobody. */
function blankFields(value: unknown, pointer = ''): string[] {
  if (typeof value === 'string') return value.length > 0 && !value.trim() ? [pointer] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => blankFields(item, `${pointer}/${key}`));
}

/** The metadata form, with what the server and each target say about it next to each field. */
export function MetadataPanel({
  editing,
  checks,
  catalogue,
  ref,
  onChanged,
}: {
  editing: Editing;
  checks: CheckResult[];
  catalogue: Catalogue;
  ref: Ref<MetadataForm>;
  /** Whether the form differs from what is saved, whenever that changes. */
  onChanged: (changed: boolean) => void;
}) {
  const { context, change } = editing;
  const [schema, setSchema] = useState<Schema>();
  const [saved, setSaved] = useState<Metadata>(context.metadata ?? {});
  const [value, setValue] = useState<Metadata>(context.metadata ?? {});
  const [saveErrors, setSaveErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<NoticeText>();
  const [importNotice, setImportNotice] = useState<NoticeText>();
  const [justSaved, setJustSaved] = useState(false);
  useEffect(() => {
    // The contract says only that it is a JSON Schema; the form reads what it needs of one.
    bodyOf(api.GET('/api/metadata/schema')).then(
      (found) => setSchema(found as Schema),
      (error: unknown) => setNotice(failureNotice(error)),
    );
  }, []);
  const changed = !same(value, saved);
  useEffect(() => {
    markUnsaved('metadata', changed ? 'the metadata' : undefined);
    onChanged(changed);
    return () => markUnsaved('metadata', undefined);
  }, [changed]);

  const refuse = (errors: FieldErrors, text: string) => {
    setSaveErrors(errors);
    setJustSaved(false);
    setNotice({ text, error: true });
    const first = Object.keys(errors)[0];
    if (first !== undefined) setTimeout(() => focusField(first));
  };

  const save = async (): Promise<boolean> => {
    setNotice(undefined);
    const blanks = blankFields(value);
    if (blanks.length > 0) {
      const errors: FieldErrors = {};
      for (const field of blanks) add(errors, field, 'This holds only spaces: type a value.');
      refuse(errors, notSavedText(errors, schema));
      return false;
    }
    try {
      const body = await change((header) =>
        api.PATCH('/api/contexts/{contextId}', {
          params: { path: { contextId: context.id }, header },
          // What the form holds; the server checks it, and names what it refuses at its field.
          body: { metadata: (prune(value) ?? {}) as ResearchMetadata },
        }),
      );
      setSaved(body.metadata ?? {});
      setValue(body.metadata ?? {});
      setSaveErrors({});
      setJustSaved(true);
      return true;
    } catch (error) {
      const errors: FieldErrors = {};
      if (error instanceof ApiError)
        for (const e of error.problem.errors ?? [])
          add(errors, fieldOf(e.pointer), inWords(e.detail));
      if (Object.keys(errors).length > 0) refuse(errors, notSavedText(errors, schema));
      else {
        setJustSaved(false);
        setNotice(failureNotice(error));
      }
      return false;
    }
  };
  useImperativeHandle(ref, () => ({
    saveIfChanged: () => (changed ? save() : Promise.resolve(true)),
  }));

  const folderSource = context.sources.find((s) => 'folder' in s.settings);
  const importCrate = async () => {
    if (!folderSource || !('folder' in folderSource.settings)) return;
    try {
      const { body } = await answer(
        api.POST('/api/metadata/ro-crate/read', {
          body: { source: folderSource.port, folder: folderSource.settings.folder },
        }),
      );
      if (body.found) setValue(body.metadata);
      setImportNotice(
        body.found
          ? { text: importedText(body.notTaken, schema), error: false }
          : {
              text: `There is no RO-Crate (ro-crate-metadata.json) in ${folderSource.settings.folder}.`,
              error: false,
              info: true,
            },
      );
    } catch (error) {
      setImportNotice(failureNotice(error));
    }
  };

  // What each target says about the saved metadata, at the fields it is about.
  const errors: FieldErrors = { ...saveErrors };
  if (!changed)
    for (const result of checks)
      for (const error of result.errors)
        add(
          errors,
          error.field,
          targetSays(
            catalogue.nameOf(result.target),
            error.field,
            withDisplayNames(error.detail, catalogue),
          ),
        );
  const accepted = checks.every((result) => result.valid);
  return (
    <section className="panel" aria-labelledby="metadata-title">
      <h2 id="metadata-title">Metadata</h2>
      <p>Describe the research once; every target receives this description.</p>
      {folderSource && (
        <div className="row">
          <button type="button" className="secondary" onClick={importCrate}>
            Import from RO-Crate
          </button>
          <Notice notice={importNotice} />
        </div>
      )}
      {schema ? (
        <form
          className="metadata-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <SchemaForm
            schema={schema}
            value={value}
            errors={errors}
            onChange={(next) => {
              setValue(next);
              setJustSaved(false);
            }}
          />
          {!changed && <CheckSummary checks={checks} catalogue={catalogue} />}
          {changed && <p className="muted">You have changes that are not saved yet.</p>}
          <Notice
            notice={
              justSaved && !changed
                ? accepted
                  ? { text: 'Metadata saved.', error: false }
                  : {
                      text: 'Metadata saved. Before exporting, fix what is marked.',
                      error: false,
                      info: true,
                    }
                : notice
            }
          />
          <button type="submit">Save metadata</button>
        </form>
      ) : (
        <Notice notice={notice} />
      )}
    </section>
  );
}

/** "Not saved: correct Title and Creator 1 › ORCID." */
function notSavedText(errors: FieldErrors, schema: Schema | undefined): string {
  const fields = Object.keys(errors).map((pointer) =>
    schema ? labelOf(schema, pointer) : pointer,
  );
  return `Not saved: correct ${fields.join(', ')}.`;
}

function CheckSummary({ checks, catalogue }: { checks: CheckResult[]; catalogue: Catalogue }) {
  if (checks.length === 0) return null;
  return (
    <ul className="checks" aria-label="What each target says">
      {checks.map((result) => {
        const name = catalogue.nameOf(result.target);
        return (
          <li key={result.target} className={result.valid ? 'success' : 'error'}>
            {result.problem
              ? `${name} could not be asked: ${withDisplayNames(result.problem.detail, catalogue)}`
              : result.valid
                ? `${name} accepts this metadata.`
                : `${name} needs changes: ${result.errors.length} problem(s), shown at the fields.`}
          </li>
        );
      })}
    </ul>
  );
}

/** What an import took, and the fields of the crate it could not take, by their labels. */
function importedText(notTaken: string[], schema: Schema | undefined): string {
  if (notTaken.length === 0) return 'Imported from the folder’s RO-Crate; check it, then save.';
  const fields = notTaken.map((field) => (schema ? labelOf(schema, `/${field}`) : field));
  return (
    `Imported from the folder’s RO-Crate, except ${fields.join(', ')}: RDS could not take ` +
    'what the crate says there (too long, say). Fill it in here, check the rest, then save.'
  );
}
