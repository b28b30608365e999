/** Timestamps as the contract shows them. The drivers give Date objects; PGlite can give text. */
export const iso = (value: Date | string) => new Date(value).toISOString();
