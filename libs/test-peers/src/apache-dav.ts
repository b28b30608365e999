/**
 * A real WebDAV server for tests: Debian's Apache with mod_dav, on 127.0.0.1 and a free port, with
 * a private configuration in a temporary folder. One user's files are served where Nextcloud has
 * them (`/remote.php/dav/files/<user>`), behind HTTP Basic.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const MODULES = '/usr/lib/apache2/modules';
const MODULE_NAMES = [
  ['mpm_event', 'mod_mpm_event.so'],
  ['authn_core', 'mod_authn_core.so'],
  ['authn_file', 'mod_authn_file.so'],
  ['authz_core', 'mod_authz_core.so'],
  ['authz_user', 'mod_authz_user.so'],
  ['auth_basic', 'mod_auth_basic.so'],
  ['alias', 'mod_alias.so'],
  ['dav', 'mod_dav.so'],
  ['dav_fs', 'mod_dav_fs.so'],
  ['dav_lock', 'mod_dav_lock.so'],
];

export interface ApacheDav {
  /** The server's base URL, without a path. */
  url: string;
  /** The folder holding the user's files. */
  files: string;
  /** Hands everything under `files` to the server's user, after a test wrote there directly. */
  own: () => void;
  stop: () => Promise<void>;
}

export async function startApache(user: string, password: string): Promise<ApacheDav> {
  const dir = mkdtempSync(join(tmpdir(), 'rds-apache-'));
  chmodSync(dir, 0o755);
  const files = join(dir, 'files');
  const locks = join(dir, 'locks');
  const empty = join(dir, 'empty');
  for (const folder of [files, locks, empty]) mkdirSync(folder);
  // Apache refuses to serve as root; as root it switches to www-data, which must own what it writes.
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? idsOf('www-data') : undefined;
  const own = () => {
    if (owner) for (const folder of [files, locks]) chownTree(folder, owner.uid, owner.gid);
  };
  own();
  const sha1 = createHash('sha1').update(password).digest('base64');
  writeFileSync(join(dir, 'htpasswd'), `${user}:{SHA}${sha1}\n`, { mode: 0o644 });
  const port = await freePort();
  const conf = join(dir, 'httpd.conf');
  writeFileSync(
    conf,
    [
      `ServerRoot ${dir}`,
      'ServerName 127.0.0.1',
      `Listen 127.0.0.1:${port}`,
      `PidFile ${dir}/httpd.pid`,
      `ErrorLog ${dir}/error.log`,
      'LogLevel warn',
      `DefaultRuntimeDir ${dir}`,
      ...MODULE_NAMES.map(([name, file]) => `LoadModule ${name}_module ${MODULES}/${file}`),
      ...(asRoot ? ['User www-data', 'Group www-data'] : []),
      `DocumentRoot ${empty}`,
      `DavLockDB ${locks}/lockdb`,
      `Alias /remote.php/dav/files/${user} ${files}`,
      `<Directory ${files}>`,
      '  Dav On',
      '  AuthType Basic',
      '  AuthName "rds-test"',
      `  AuthUserFile ${dir}/htpasswd`,
      '  Require valid-user',
      '</Directory>',
      '',
    ].join('\n'),
  );
  const child = spawn('apache2', ['-f', conf, '-DFOREGROUND'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(url, child, () => `${stderr}${readLog(dir)}`);
  return {
    url,
    files,
    own,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilServing(
  url: string,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`apache2 exited: ${log()}`);
    const answered = await fetch(url, { method: 'OPTIONS' }).then(
      () => true,
      () => false,
    );
    if (answered) return;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`apache2 did not start: ${log()}`);
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8');
  } catch {
    return '';
  }
}

function idsOf(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
  return { uid, gid };
}

function chownTree(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else lchownSync(child, uid, gid);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
