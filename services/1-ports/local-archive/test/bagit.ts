/**
 * A BagIt validator (RFC 8493) for the tests: a bag is valid when it is complete (every payload
 * file in every payload manifest, nothing missing, nothing extra) and every checksum of every
 * manifest and tag manifest matches its file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Bag {
  /** bag-info.txt, label to value (continuation lines unfolded). */
  info: Record<string, string>;
  /** Payload paths relative to `data/`. */
  payload: string[];
}

function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = `${prefix}${entry.name}`;
    return entry.isDirectory() ? filesUnder(join(folder, entry.name), `${path}/`) : [path];
  });
}

/** Section 2.1.3: CR, LF and % are percent-encoded in manifest paths. */
const decodePath = (path: string) =>
  path.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');

function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line !== '');
}

/** A manifest as path → checksum; every line must be `checksum path`. */
function readManifest(bag: string, name: string, problems: string[]): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of lines(readFileSync(join(bag, name), 'utf8'))) {
    const match = /^([0-9a-fA-F]+)[ \t]+(.+)$/.exec(line);
    if (!match) problems.push(`${name}: malformed line ${JSON.stringify(line)}`);
    else entries.set(decodePath(match[2]!), match[1]!.toLowerCase());
  }
  return entries;
}

function verify(bag: string, name: string, manifest: Map<string, string>, problems: string[]) {
  const algorithm = /^(?:tag)?manifest-(\w+)\.txt$/.exec(name)![1]!;
  for (const [path, checksum] of manifest) {
    const file = join(bag, ...path.split('/'));
    if (path.split('/').includes('..') || !existsSync(file)) {
      problems.push(`${name}: ${JSON.stringify(path)} is missing`);
      continue;
    }
    const actual = createHash(algorithm).update(readFileSync(file)).digest('hex');
    if (actual !== checksum) problems.push(`${name}: ${JSON.stringify(path)} has another checksum`);
  }
}

function readInfo(text: string): Record<string, string> {
  const info: Record<string, string> = {};
  let label: string | undefined;
  for (const line of lines(text)) {
    if (/^[ \t]/.test(line) && label) info[label] += ` ${line.trim()}`;
    else {
      const match = /^([^:]+):[ \t](.*)$/.exec(line);
      if (!match) throw new Error(`bag-info.txt: malformed line ${JSON.stringify(line)}`);
      label = match[1]!;
      info[label] = match[2]!;
    }
  }
  return info;
}

/** Validates the bag in `folder`; throws listing every problem found. */
export function validateBag(folder: string): Bag {
  const problems: string[] = [];
  const declaration = existsSync(join(folder, 'bagit.txt'))
    ? readFileSync(join(folder, 'bagit.txt'), 'utf8')
    : '';
  if (declaration !== 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')
    problems.push(
      `bagit.txt is missing or not a BagIt 1.0 declaration: ${JSON.stringify(declaration)}`,
    );
  if (!existsSync(join(folder, 'data')) || !statSync(join(folder, 'data')).isDirectory())
    throw new Error(`${folder}: no payload folder data/`);

  const all = filesUnder(folder);
  const payload = all.filter((path) => path.startsWith('data/'));
  const tagFiles = all.filter((path) => !path.startsWith('data/'));
  const manifests = tagFiles.filter((path) => /^manifest-\w+\.txt$/.test(path));
  const tagManifests = tagFiles.filter((path) => /^tagmanifest-\w+\.txt$/.test(path));
  if (manifests.length === 0) problems.push('there is no payload manifest');
  if (!manifests.includes('manifest-sha256.txt')) problems.push('there is no manifest-sha256.txt');
  if (!tagManifests.includes('tagmanifest-sha256.txt'))
    problems.push('there is no tagmanifest-sha256.txt');

  for (const name of manifests) {
    const manifest = readManifest(folder, name, problems);
    verify(folder, name, manifest, problems);
    for (const path of payload)
      if (!manifest.has(path))
        problems.push(`${name}: the payload file ${JSON.stringify(path)} is not listed`);
    for (const path of manifest.keys())
      if (!path.startsWith('data/'))
        problems.push(`${name}: ${JSON.stringify(path)} is not payload`);
  }
  const listedTags = new Set<string>();
  for (const name of tagManifests) {
    const manifest = readManifest(folder, name, problems);
    verify(folder, name, manifest, problems);
    for (const path of manifest.keys()) listedTags.add(path);
  }
  for (const path of tagFiles)
    if (!tagManifests.includes(path) && !listedTags.has(path))
      problems.push(`the tag file ${JSON.stringify(path)} is in no tag manifest`);

  const info = existsSync(join(folder, 'bag-info.txt'))
    ? readInfo(readFileSync(join(folder, 'bag-info.txt'), 'utf8'))
    : {};
  const octets = payload.reduce((sum, path) => sum + statSync(join(folder, path)).size, 0);
  if (info['Payload-Oxum'] !== `${octets}.${payload.length}`)
    problems.push(
      `Payload-Oxum is ${info['Payload-Oxum']}, the payload ${octets}.${payload.length}`,
    );

  if (problems.length > 0) throw new Error(`${folder} is not a valid bag:\n${problems.join('\n')}`);
  return { info, payload: payload.map((path) => path.slice('data/'.length)) };
}
