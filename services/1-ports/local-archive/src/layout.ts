import { join } from 'node:path';
import { folderName } from './names.ts';

/** Whose records: the user a call acts for, within its tenant. */
export interface Owner {
  tenant: string;
  user: string;
}

/**
 * Where everything lives under the archive's root:
 *
 * - `records/<tenant>/<user>/<id>.json`: each record (one version), draft or published;
 * - `drafts/<tenant>/<user>/<id>/`: a draft's working area, `blobs/` holding its files by
 *   sha256, `incoming/` the uploads still arriving and `files.jsonl` the files added and
 *   deleted since its record was written;
 * - `published/<tenant>/<user>/<parentId>/v<n>` (or `v<n>.zip`): the bag of each version;
 * - `staging/`: bags being built, renamed into `published/` when whole.
 */
export class Layout {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  get staging(): string {
    return join(this.root, 'staging');
  }

  records(owner: Owner): string {
    return join(this.root, 'records', ownerPath(owner));
  }

  record(owner: Owner, id: string): string {
    return join(this.records(owner), `${id}.json`);
  }

  draft(owner: Owner, id: string): string {
    return join(this.root, 'drafts', ownerPath(owner), id);
  }

  blobs(owner: Owner, id: string): string {
    return join(this.draft(owner, id), 'blobs');
  }

  journal(owner: Owner, id: string): string {
    return join(this.draft(owner, id), 'files.jsonl');
  }

  incoming(owner: Owner, id: string): string {
    return join(this.draft(owner, id), 'incoming');
  }

  bag(owner: Owner, parentId: string, version: number, zipped: boolean): string {
    const name = `v${version}${zipped ? '.zip' : ''}`;
    return join(this.root, 'published', ownerPath(owner), parentId, name);
  }
}

export function ownerPath({ tenant, user }: Owner): string {
  return join(folderName(tenant), folderName(user));
}
