import { useEffect, useState } from 'react';
import { answer, api, type CheckResult, type Context } from './api.ts';

const portsOf = (context: Context) => [...new Set(context.targets.map((t) => t.port))];

/** Asks each target of the context whether it takes the context's saved metadata. */
export async function checkContext(context: Context): Promise<CheckResult[]> {
  const targets = portsOf(context);
  if (targets.length === 0) return [];
  const { body } = await answer(
    api.POST('/api/metadata/checks', { body: { metadata: context.metadata ?? {}, targets } }),
  );
  return body.results;
}

/**
 * Each target's check of the saved metadata, asked again whenever the context changes: an
 * export is possible only when every target accepts what would be sent.
 */
export function useChecks(context: Context | undefined): CheckResult[] | undefined {
  const [checks, setChecks] = useState<CheckResult[]>();
  useEffect(() => {
    if (!context) return;
    let current = true;
    checkContext(context).then(
      (results) => current && setChecks(results),
      (error: unknown) =>
        current &&
        setChecks(
          portsOf(context).map((target) => ({
            target,
            valid: false,
            errors: [],
            // Each is answered as one the metadata service could not reach.
            problem: {
              detail: error instanceof Error ? error.message : 'No answer.',
              messageKey: 'target.unreachable',
            },
          })),
        ),
    );
    return () => {
      current = false;
    };
  }, [context?.updatedAt, context?.id]);
  return checks;
}
