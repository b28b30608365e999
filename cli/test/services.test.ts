/** The list of services `rds` runs, and the start order it derives from what each calls. */
import { expect, test } from 'vitest';
import type { AnyServiceDefinition } from '@rds/kit/host';
import { calleesOf, loadService, serviceNames, startOrder } from '../src/services.ts';

const all = () => Promise.all(serviceNames().map(loadService));

/** A definition as far as the start order reads it. */
function service(name: string, layer: 0 | 1 | 2 | 3, calls: string[] = []): AnyServiceDefinition {
  return {
    name,
    layer,
    version: '0.0.0',
    contract: '',
    calls: Object.fromEntries(calls.map((c) => [c, ''])),
    setup: async () => ({ handlers: {} }),
  };
}

test('every service starts after each service it calls, ports before those that find them by name', async () => {
  const definitions = await all();
  const started = startOrder(definitions).map((d) => d.name);
  expect([...started].sort()).toEqual(serviceNames().sort());
  for (const definition of definitions)
    for (const callee of calleesOf(definition, definitions))
      expect(started.indexOf(callee.name), `${definition.name} after ${callee.name}`).toBeLessThan(
        started.indexOf(definition.name),
      );
  expect(started.indexOf('exporter')).toBeGreaterThan(started.indexOf('local-archive'));
});

test('each starts after the services it calls, whatever the order of the list', () => {
  const order = startOrder([
    service('web', 0, ['research']),
    service('research', 2, ['research-manager']),
    service('research-manager', 3),
  ]);
  expect(order.map((d) => d.name)).toEqual(['research-manager', 'research', 'web']);
});

test('a call the layer rules forbid is refused, naming both services', () => {
  expect(() =>
    startOrder([service('a-port', 1, ['a-use-case']), service('a-use-case', 2)]),
  ).toThrow('a-port (layer 1) calls a-use-case (layer 2), but layer 1 may call only layers 3');
});
