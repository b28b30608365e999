/**
 * A copy of the repository's tracked files in a temporary folder, for tests that change the
 * repository as a developer would. It shares the installed packages of this checkout, except
 * that its own workspace packages (@rds/*) link to the copy's folders, as `npm install` links them.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function copyRepository(): string {
  const copy = mkdtempSync(join(tmpdir(), 'rds-copy-'));
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(join(ROOT, file)));
  for (const file of tracked) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(copy, file));
  }
  const packageFolders = tracked
    .filter((file) => file === 'package.json' || file.endsWith('/package.json'))
    .map((file) => dirname(file));
  for (const folder of packageFolders) linkPackages(join(ROOT, folder), join(copy, folder));
  return copy;
}

/** Links each installed package of `from` into `to`; the workspace's own keep their relative links. */
function linkPackages(from: string, to: string): void {
  const installed = join(from, 'node_modules');
  if (!existsSync(installed)) return;
  mkdirSync(join(to, 'node_modules/@rds'), { recursive: true });
  for (const entry of readdirSync(installed)) {
    if (entry !== '@rds') symlinkSync(join(installed, entry), join(to, 'node_modules', entry));
  }
  if (!existsSync(join(installed, '@rds'))) return;
  for (const entry of readdirSync(join(installed, '@rds'))) {
    const link = join(installed, '@rds', entry);
    const target = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : link;
    symlinkSync(target, join(to, 'node_modules/@rds', entry));
  }
}
