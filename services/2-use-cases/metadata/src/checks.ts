/** Whether a target repository takes the metadata: its own check, and the fields it requires. */
import { ProblemError, UpstreamError, type ContractClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/metadata';
import type {
  components as repository,
  operations as RepositoryOperations,
} from '@rds/contracts/generated/repository';
import { canonicalMetadata, modelFindings, type ResearchMetadata } from '@rds/metadata-model';

/** A repository port, called by the operations of the interface it serves. */
export type RepositoryPort = ContractClient<RepositoryOperations>;

type CheckResult = components['schemas']['CheckResult'];
type Capabilities = repository['schemas']['Capabilities'];
type FieldError = CheckResult['errors'][number];
type Problem = NonNullable<CheckResult['problem']>;

const unavailable = (target: string, problem: Problem): CheckResult => ({
  target,
  valid: false,
  errors: [],
  problem,
});

/** The value at a JSON Pointer (RFC 6901), if there is one. */
function at(document: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, token) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[token]
          : undefined,
      document,
    );
}

const isMissing = (value: unknown) =>
  value === undefined ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/** Every required field that is missing and not already among the port's findings. */
function missingRequired(
  target: string,
  metadata: ResearchMetadata,
  required: string[],
  findings: FieldError[],
): FieldError[] {
  return required
    .filter((pointer) => isMissing(at(metadata, pointer)))
    .filter(
      (pointer) => !findings.some((f) => f.field === pointer || f.field.startsWith(`${pointer}/`)),
    )
    .map((field) => ({ field, detail: `${target} requires this field.` }));
}

const unnamed = (findings: FieldError[], named: FieldError[]) =>
  findings.filter((f) => !named.some((n) => n.field === f.field));

/**
 * Asks a repository port about the metadata (with its identifiers canonical, as RDS keeps them);
 * a port that cannot be asked gives a problem, not a failure. What no target takes (the model's
 * findings) is named too, where the port did not name the field itself.
 */
export async function checkTarget(
  target: string,
  port: RepositoryPort | undefined,
  given: ResearchMetadata,
): Promise<CheckResult> {
  const { metadata } = canonicalMetadata(given);
  if (!port) {
    return unavailable(target, {
      messageKey: 'target.unknown',
      detail: `RDS has no repository port named ${target}.`,
    });
  }
  let capabilities: Capabilities;
  let finding: { valid: boolean; errors: FieldError[] };
  try {
    [{ body: capabilities }, { body: finding }] = await Promise.all([
      port.call('getCapabilities'),
      // A check changes nothing at the target, so it is as safe to repeat as a GET.
      port.call('checkMetadata', { json: metadata, idempotent: true }),
    ]);
  } catch (error) {
    // Whatever the port answers instead, its refusal of the check included, is its failure.
    if (!(error instanceof ProblemError)) throw error;
    const status = error instanceof UpstreamError ? error.upstreamStatus : error.statusCode;
    return unavailable(
      target,
      status === undefined
        ? { messageKey: 'target.unreachable', detail: `${target} could not be reached.` }
        : {
            messageKey: 'target.failed',
            detail: `${target} answered ${status} to the check.`,
          },
    );
  }
  if (!Array.isArray(finding?.errors) || !Array.isArray(capabilities?.requiredMetadata)) {
    return unavailable(target, {
      messageKey: 'target.failed',
      detail: `${target} answered the check with something that is not one.`,
    });
  }
  const found = finding.errors.map(({ field, detail }) => ({ field, detail }));
  const required = missingRequired(target, metadata, capabilities.requiredMetadata, found);
  const errors = [...found, ...required];
  errors.push(...unnamed(modelFindings(given), errors));
  return {
    target,
    valid: finding.valid === true && errors.length === 0,
    folders: capabilities.folders,
    errors,
  };
}
