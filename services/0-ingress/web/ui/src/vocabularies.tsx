/**
 * Pickers for the fields whose values come from a vocabulary: licences from the SPDX License
 * List (`spdx-license-ids`), languages from ISO 639-3 (`iso-639-3`), the packages the metadata
 * model checks them with. Each is a text field with suggestions, so that a value typed or pasted
 * is kept for the server to judge. The lists load when a form first shows them, not with the page.
 */
import { useEffect, useState } from 'react';

type Options = [value: string, label?: string][];

export interface Vocabulary {
  hint: string;
  listId: string;
  load: () => Promise<Options>;
}

const once = (load: () => Promise<Options>) => {
  let loaded: Promise<Options> | undefined;
  return () => (loaded ??= load());
};

const VOCABULARIES: Record<string, Vocabulary> = {
  '/license/id': {
    hint: 'A licence of the SPDX License List: type to choose, e.g. CC-BY-4.0 or MIT.',
    listId: 'spdx-licenses',
    load: once(async () => {
      const { default: ids } = await import('spdx-license-ids/index.json');
      return (ids as string[]).map((id): [string] => [id]);
    }),
  },
  '/language': {
    hint: 'The language of the data: type its name or code to choose, e.g. English (eng).',
    listId: 'iso-639-3-languages',
    // Languages people describe data in: living ones and constructed ones (Esperanto, say).
    load: once(async () => {
      const { iso6393 } = await import('iso-639-3');
      return iso6393
        .filter((l) => l.type === 'living' || l.type === 'constructed')
        .map((l): [string, string] => [l.iso6393, l.name]);
    }),
  },
};

export const vocabularyFor = (pointer: string): Vocabulary | undefined => VOCABULARIES[pointer];

/** A text field suggesting the vocabulary's values as one types. */
export function VocabularyInput({
  vocabulary,
  id,
  value,
  onChange,
  invalid,
}: {
  vocabulary: Vocabulary;
  id: string;
  value: string;
  onChange: (value: string) => void;
  invalid: object;
}) {
  const [options, setOptions] = useState<Options>([]);
  useEffect(() => {
    vocabulary.load().then(setOptions, () => setOptions([]));
  }, [vocabulary]);
  return (
    <>
      <input
        id={id}
        type="text"
        list={vocabulary.listId}
        value={value}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        {...invalid}
      />
      <datalist id={vocabulary.listId}>
        {options.map(([option, label]) => (
          <option key={option} value={option} label={label} />
        ))}
      </datalist>
    </>
  );
}
