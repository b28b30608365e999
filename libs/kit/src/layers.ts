/**
 * The layer rules of ARCHITECTURE.md: 0 ingress, 1 ports, 2 use cases, 3 central services. Calls
 * go down, and from each layer only to these. A definition's `calls` is checked against them
 * where it is written (`defineService`), and `rds start` and deploy check every list of services.
 */
export type Layer = 0 | 1 | 2 | 3;

export const LAYER_CALLS = { 0: [2], 1: [3], 2: [1, 3], 3: [] } as const satisfies Record<
  Layer,
  readonly Layer[]
>;

type CallableFrom<From extends Layer> = (typeof LAYER_CALLS)[From][number];
type LayerOf<C> = C extends { readonly layer?: infer To } ? To : unknown;

/**
 * `calls` as the layer rules allow it: a callee the rules forbid becomes a sentence, so that the
 * definition fails to compile saying which rule it breaks. A contract of no known layer (a test's
 * own document) is not checked.
 */
export type LayerChecked<From extends Layer, Calls> = {
  [Name in keyof Calls]: number extends LayerOf<Calls[Name]>
    ? Calls[Name]
    : LayerOf<Calls[Name]> extends CallableFrom<From>
      ? Calls[Name]
      : `${Name & string} is in layer ${LayerOf<Calls[Name]> & number}, which layer ${From} may not call (ARCHITECTURE.md: calls go down)`;
};

/** Why `from` may not call `to`, or undefined when the layer rules allow it. */
export function forbiddenCall(from: Layer, to: Layer): string | undefined {
  const allowed: readonly Layer[] = LAYER_CALLS[from];
  if (allowed.includes(to)) return undefined;
  return `layer ${from} may call only layers ${allowed.join(', ') || 'none'}`;
}
