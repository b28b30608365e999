/**
 * Generates TypeScript types from every contract into contracts/generated/. Run
 * `npm run contracts:generate` after changing a contract; a test fails while they are stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { allContracts, CONTRACTS_ROOT } from './index.ts';

export async function generatedTypes(contract: string): Promise<string> {
  const ast = await openapiTS(new URL(`file://${CONTRACTS_ROOT}${contract}`), {
    alphabetize: true,
    // A default in a request body is the server's to fill in; the field stays optional to callers.
    defaultNonNullable: false,
    // An object the contract leaves open (a problem's args, a JSON Schema) holds any members.
    emptyObjectsUnknown: true,
  });
  return `// Generated from contracts/${contract} by contracts/generate.ts. Do not edit.\n\n${astToString(ast)}`;
}

export function generatedFile(contract: string): string {
  return `${CONTRACTS_ROOT}generated/${basename(contract, '.yaml')}.ts`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(`${CONTRACTS_ROOT}generated`, { recursive: true });
  for (const contract of allContracts()) {
    writeFileSync(generatedFile(contract), await generatedTypes(contract));
    console.log(
      `contracts/${contract} -> ${generatedFile(contract).slice(CONTRACTS_ROOT.length - 'contracts/'.length)}`,
    );
  }
}
