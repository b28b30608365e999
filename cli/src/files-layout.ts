import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Written in the files folder once it holds a folder per user; the port serves no file there. */
const LAYOUT_MARK = '.rds-layout';

/**
 * The embedded default's files folder as it is now: a folder per tenant and user. Before that,
 * `rds start` kept the local user's files right in it; such a folder is moved, whole, into the
 * local user's folder, so that nothing the user had disappears from view. The move is two renames
 * through `<root>.moving`, and one interrupted is finished at the next start. Says whether it moved
 * anything.
 */
export function keepFolderPerUser(root: string, localUserFolder: string): boolean {
  const moving = `${root}.moving`;
  const earlier =
    existsSync(moving) ||
    (existsSync(root) &&
      !existsSync(`${root}/${LAYOUT_MARK}`) &&
      !existsSync(localUserFolder) &&
      readdirSync(root).length > 0);
  if (earlier) {
    if (!existsSync(moving)) renameSync(root, moving);
    mkdirSync(dirname(localUserFolder), { recursive: true });
    renameSync(moving, localUserFolder);
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(`${root}/${LAYOUT_MARK}`, 'a folder per tenant and user: <tenant>/<user>\n');
  return earlier;
}
