/**
 * The vocabularies of the model, from the packages that keep them: licences from the SPDX
 * License List (`spdx-license-ids`), languages from ISO 639-3 (`iso-639-3`). A UI offers the
 * same lists in its pickers.
 */
import { iso6393 } from 'iso-639-3';
import spdxIds from 'spdx-license-ids/index.json' with { type: 'json' };
import deprecatedSpdxIds from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import type { Checked } from './identifiers.ts';

const LICENSES = new Map(spdxIds.map((id) => [id.toLowerCase(), id]));

/** Every current licence id of the SPDX License List, for a picker. */
export const SPDX_LICENSE_IDS: readonly string[] = spdxIds;
const DEPRECATED = new Set(deprecatedSpdxIds);

/** The SPDX id of a licence, spelt as SPDX spells it (ids are case-insensitive), or why it is none. */
export function spdxLicense(text: string): Checked {
  const id = LICENSES.get(text.trim().toLowerCase());
  if (id) return { id };
  const withdrawn = [...DEPRECATED].find((d) => d.toLowerCase() === text.trim().toLowerCase());
  if (withdrawn) {
    const successors = [`${withdrawn}-only`, `${withdrawn}-or-later`].filter((s) =>
      LICENSES.has(s.toLowerCase()),
    );
    return {
      problem: `is an SPDX id that SPDX has withdrawn, and repositories refuse it${successors.length > 0 ? `: choose ${successors.join(' or ')}` : ''}.`,
    };
  }
  return { problem: 'is not a licence of the SPDX License List, such as CC-BY-4.0 or MIT.' };
}

/** Every ISO 639-3 language, code and English name, living languages first, for a picker. */
export const LANGUAGES: readonly { code: string; name: string }[] = [...iso6393]
  .sort((a, b) => Number(b.type === 'living') - Number(a.type === 'living'))
  .map((l) => ({ code: l.iso6393, name: l.name }));

const BY_CODE = new Map<string, string>();
for (const language of iso6393) {
  BY_CODE.set(language.iso6393, language.iso6393);
  if (language.iso6391) BY_CODE.set(language.iso6391, language.iso6393);
}
const TWO_LETTER = new Map(iso6393.flatMap((l) => (l.iso6391 ? [[l.iso6393, l.iso6391]] : [])));
const NAMES = new Map(iso6393.map((l) => [l.iso6393, l.name]));

/**
 * The ISO 639-3 code of a language given by its ISO 639-3 or ISO 639-1 code (`eng`, `en`, `EN`),
 * or why it is none. A language's name is not taken: names are ambiguous and translated, codes are not.
 */
export function languageCode(text: string): Checked {
  const code = BY_CODE.get(text.trim().toLowerCase());
  return code
    ? { id: code }
    : { problem: 'is not an ISO 639-3 language code, such as eng for English or deu for German.' };
}

/** The shortest code of a language (BCP 47, as schema.org's `inLanguage` wants it): `en` for `eng`. */
export const shortestLanguageCode = (iso6393Code: string) =>
  TWO_LETTER.get(iso6393Code) ?? iso6393Code;

/** The English name of an ISO 639-3 language, for messages and pickers. */
export const languageName = (iso6393Code: string) => NAMES.get(iso6393Code);
