import { useEffect, useState } from 'react';
import { api, bodyOf, type CatalogueEntry } from './api.ts';

/** The services RDS knows, and the name each goes by for people. */
export interface Catalogue {
  services: CatalogueEntry[];
  /** The display name of `servicename` ("Zenodo", "Folder on this server"). */
  nameOf: (servicename: string) => string;
}

/** The services of one interface that the user has connected. */
export const connectedOf = (catalogue: Catalogue, kind: 'fileStorage' | 'repository') =>
  catalogue.services.filter(
    (s) => s.implements.includes(kind) && s.connection.state === 'connected',
  );

export function useCatalogue(): Catalogue {
  const [services, setServices] = useState<CatalogueEntry[]>([]);
  useEffect(() => {
    bodyOf(api.GET('/api/services')).then(
      (found) => setServices(found.services),
      () => setServices([]),
    );
  }, []);
  const nameOf = (servicename: string) =>
    services.find((s) => s.servicename === servicename)?.displayName ?? servicename;
  return { services, nameOf };
}

/**
 * Messages from the services name a service by its technical name; people know its display
 * name. A name inside an address or a DOI (`10.5281/zenodo.3`) stays as it is.
 */
export function withDisplayNames(text: string, catalogue: Catalogue): string {
  return catalogue.services.reduce(
    (words, s) =>
      words.replace(
        new RegExp(`(?<![\\w/.-])${escape(s.servicename)}(?![\\w/-]|\\.\\w)`, 'g'),
        s.displayName,
      ),
    text,
  );
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/publicationDate` → "Publication date": the field a finding is about, where no form names it. */
function fieldWords(pointer: string): string {
  const token =
    pointer
      .split('/')
      .filter((t) => t && !/^\d+$/.test(t))
      .pop() ?? 'description';
  const words = token.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A target's finding about a field, led by the target's name once: "Zenodo needs a title" as it
 * is, "is needed: …" as "Archive on this server: Title is needed: …".
 */
export function targetSays(name: string, field: string, detail: string): string {
  if (detail.startsWith(name)) return detail;
  if (/^[a-z]/.test(detail)) return `${name}: ${fieldWords(field)} ${detail}`;
  return `${name}: ${detail}`;
}
