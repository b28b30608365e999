import { useState } from 'react';
import { api, type CheckResult, type Context, type TargetSettings } from './api.ts';
import { Choice } from './Choice.tsx';
import type { Editing } from './ContextPage.tsx';
import { connectedOf, type Catalogue } from './names.ts';
import { Notice, useNotice } from './Notice.tsx';
import { RecordSummary, type Citable } from './Record.tsx';

type Target = Context['targets'][number];
type Mode = TargetSettings['mode'];
type Folders = NonNullable<TargetSettings['folders']>;

/** How the next export publishes at a target, as the Publication choice offers it. */
type Publication = 'publish' | 'new-record' | 'draft';

/** A record the target published for the context: the next export makes a new version of it. */
const published = (target: Target) => Boolean(target.reported?.recordId);

const choiceOf = ({ settings }: Target): Publication =>
  settings.mode === 'draft' ? 'draft' : settings.newRecord ? 'new-record' : 'publish';

/** The target's settings for `choice`; its other settings (folders, say) stay. */
function settingsFor(target: Target, choice: Publication): TargetSettings {
  const { recordId: _record, newRecord: _new, ...rest } = target.settings;
  if (choice === 'draft') return { ...rest, mode: 'draft' };
  return { ...rest, mode: 'publish', ...(choice === 'new-record' ? { newRecord: true } : {}) };
}

const FOLDERS_DONE: Record<Folders, string> = {
  'zip-folders': 'one zip file per top-level folder',
  'encode-paths': 'each file named after its whole path',
};

const CHOICE_DONE: Record<Publication, string> = {
  publish: 'publish with the next export',
  'new-record': 'publish a new record with the next export',
  draft: 'get a draft for you to publish with the next export',
};

/** Where the context is published: each target with how it publishes and what it published. */
export function Targets({
  editing,
  catalogue,
  checks,
}: {
  editing: Editing;
  catalogue: Catalogue;
  /** Each target's check, which says whether it keeps folders. */
  checks: CheckResult[] | undefined;
}) {
  const { context, change } = editing;
  const { notice, act } = useNotice();
  const repositories = connectedOf(catalogue, 'repository');
  const at = (target: Target) => ({ contextId: context.id, targetId: target.id });
  return (
    <section className="panel" aria-labelledby="targets-title">
      <h2 id="targets-title">Targets</h2>
      <ul className="items">
        {context.targets.map((target) => (
          <TargetItem
            key={target.id}
            target={target}
            name={catalogue.nameOf(target.port)}
            keepsNoFolders={checks?.find((c) => c.target === target.port)?.folders === false}
            metadata={context.metadata ?? {}}
            act={act}
            changeSettings={(settings) =>
              change((header) =>
                api.PATCH('/api/contexts/{contextId}/targets/{targetId}', {
                  params: { path: at(target), header },
                  body: { settings },
                }),
              )
            }
            remove={() =>
              change((header) =>
                api.DELETE('/api/contexts/{contextId}/targets/{targetId}', {
                  params: { path: at(target), header },
                }),
              )
            }
          />
        ))}
      </ul>
      <Notice notice={notice} />
      {repositories.length === 0 ? (
        <p>
          Connect a repository first, under <a href="#/services">Connected services</a>.
        </p>
      ) : (
        <AddTarget
          repositories={repositories}
          onAdd={(port, settings) =>
            act(
              () =>
                change((header) =>
                  api.POST('/api/contexts/{contextId}/targets', {
                    params: { path: { contextId: context.id }, header },
                    body: { port, settings },
                  }),
                ),
              `Added ${catalogue.nameOf(port)}.`,
            )
          }
        />
      )}
    </section>
  );
}

function TargetItem({
  target,
  name,
  keepsNoFolders,
  metadata,
  act,
  changeSettings,
  remove,
}: {
  target: Target;
  name: string;
  keepsNoFolders: boolean;
  metadata: Citable;
  act: (what: () => Promise<unknown>, done: string) => Promise<void>;
  changeSettings: (settings: TargetSettings) => Promise<unknown>;
  remove: () => Promise<unknown>;
}) {
  const setChoice = (choice: Publication) =>
    act(() => changeSettings(settingsFor(target, choice)), `${name} will ${CHOICE_DONE[choice]}.`);
  // Once published, exporting again makes a new version of the record: the default.
  const again = published(target);
  return (
    <li className="target">
      <h3 className="name">{name}</h3>
      <Choice
        label={`Publication in ${name}`}
        value={choiceOf(target)}
        onChange={(v) => void setChoice(v as Publication)}
      >
        <option value="publish">{again ? 'New version of the published record' : 'Publish'}</option>
        {again && <option value="new-record">Publish as a new record</option>}
        <option value="draft">
          {again
            ? 'Leave a draft of a new version for me to publish'
            : 'Leave a draft for me to publish'}
        </option>
      </Choice>
      {keepsNoFolders && (
        <Choice
          label={`Files in folders (${name} keeps no folders)`}
          value={target.settings.folders ?? 'zip-folders'}
          onChange={(v) =>
            void act(
              () => changeSettings({ ...target.settings, folders: v as Folders }),
              `${name} will get ${FOLDERS_DONE[v as Folders]}.`,
            )
          }
        >
          <option value="zip-folders">One zip file per top-level folder</option>
          <option value="encode-paths">
            Each file named after its whole path (data/a.csv as data__a.csv)
          </option>
        </Choice>
      )}
      {again && target.reported && (
        <RecordSummary record={target.reported} repository={name} metadata={metadata} />
      )}
      <button
        type="button"
        className="link"
        aria-label={`Remove ${name}`}
        onClick={() => act(remove, `Removed ${name}.`)}
      >
        Remove
      </button>
    </li>
  );
}

function AddTarget({
  repositories,
  onAdd,
}: {
  repositories: Catalogue['services'];
  onAdd: (port: string, settings: TargetSettings) => Promise<unknown>;
}) {
  const [port, setPort] = useState('');
  const [mode, setMode] = useState<Mode>('publish');
  const picked = port || repositories[0]?.servicename || '';
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        // Folders are zipped where the target keeps none, until the user chooses otherwise on
        // the target: which targets keep folders is known once the target is asked (its check).
        void onAdd(picked, { mode, folders: 'zip-folders' });
      }}
    >
      <Choice label="Repository" value={picked} onChange={(v) => setPort(v)}>
        {repositories.map((s) => (
          <option key={s.servicename} value={s.servicename}>
            {s.displayName}
          </option>
        ))}
      </Choice>
      <Choice label="Publication" value={mode} onChange={(v) => setMode(v as Mode)}>
        <option value="publish">Publish</option>
        <option value="draft">Leave a draft for me to publish</option>
      </Choice>
      <button type="submit">Add target</button>
    </form>
  );
}
