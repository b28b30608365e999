/**
 * TEST DOUBLE of a repository port: serves the repository interface's `/capabilities` and
 * `/metadata-check` under the service name of the port it stands in for (service tokens are
 * addressed to that name) and answers 501 to everything else. It requires fields and has no
 * rules of its own: its check finds nothing. For ports not built yet.
 */
import { interfaceContract } from '@rds/contracts';
import { loadContract, operations, ProblemError, type ServiceDefinition } from '@rds/kit';
import type { components } from '@rds/contracts/generated/repository';

type Capabilities = components['schemas']['Capabilities'];

export async function repositoryDouble(
  standsInFor: string,
  requiredMetadata: string[],
): Promise<ServiceDefinition> {
  const contract = interfaceContract('repository');
  const notHere = async () => {
    throw new ProblemError(501, {
      detail: 'The repository double only answers checks.',
      messageKey: 'double.notImplemented',
    });
  };
  const capabilities: Capabilities = {
    folders: false,
    requiredMetadata,
    publicationModes: ['draft', 'publish'],
    checksum: 'md5',
  };
  const unused = operations(await loadContract(contract)).map((o) => [o.operationId, notHere]);
  return {
    name: standsInFor,
    layer: 1,
    version: '0.0.0-double',
    contract,
    setup: async () => ({
      handlers: {
        ...Object.fromEntries(unused),
        getCapabilities: async () => capabilities,
        checkMetadata: async () => ({ valid: true, errors: [] }),
      },
    }),
  };
}
