/**
 * A service declared once (`defineService`): the kit derives its settings from what it declares,
 * opens its database before setup, reports it in readiness, closes it last, and a call against
 * the layer rules does not compile.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { defineService, type Contract, type PortClient, type Resource } from '../src/index.ts';
import { settingsSchemaOf } from '../src/host.ts';
import { call, startTestService, type RunningService } from '../src/testing.ts';

const STATE = fileURLToPath(new URL('./fixtures/state.yaml', import.meta.url));
interface StateOperations {
  getState: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: {
      200: { headers: Record<string, unknown>; content: { 'application/json': { rows: number } } };
    };
  };
}
/** The contract as a service of layer `L` would serve it. */
const stateAt = <L extends number>() => STATE as Contract<StateOperations, L>;
const stateContract = stateAt<3>();

/** A database kept in memory that writes down what is done to it, in order. */
function recordedDatabase(events: string[]) {
  let healthy = true;
  const database: Resource<{ rows: number }> = {
    settings: {
      type: 'object',
      properties: { STATE_DATABASE: { type: 'string', default: 'memory' } },
    },
    open: async () => {
      events.push('database opened');
      return { rows: 3 };
    },
    check: async () => {
      if (!healthy) throw new Error('connection lost');
    },
    close: async () => void events.push('database closed'),
  };
  return { database, fail: () => (healthy = false) };
}

function stateService(events: string[], database: Resource<{ rows: number }>) {
  return defineService({
    name: 'state',
    layer: 3,
    version: '1.0.0',
    contract: stateContract,
    settings: {
      type: 'object',
      properties: { STATE_GREETING: { type: 'string', default: 'hello' } },
    } as const,
    database,
    setup: async ({ database: opened, settings }) => {
      events.push(`setup saw ${opened.rows} rows and says ${settings.STATE_GREETING}`);
      // @ts-expect-error -- a setting the definition does not declare has no type
      void settings.STATE_UNDECLARED;
      return {
        handlers: { getState: async () => ({ rows: opened.rows }) },
        close: async () => void events.push('service closed'),
      };
    },
  });
}

let running: RunningService | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('a service declared with a database', () => {
  test('the database is open before setup, in readiness while it serves, and closed after the service', async () => {
    const events: string[] = [];
    const { database, fail } = recordedDatabase(events);
    running = await startTestService(stateService(events, database));

    expect((await call(`${running.url}/state`)).json()).toEqual({ rows: 3 });
    const ready = await call(`${running.url}/health/ready`);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });

    fail();
    const lost = await call(`${running.url}/health/ready`);
    expect(lost.status).toBe(503);
    expect(lost.json()).toMatchObject({ checks: { database: 'failing' } });

    await running.close();
    expect(events).toEqual([
      'database opened',
      'setup saw 3 rows and says hello',
      'service closed',
      'database closed',
    ]);
  });

  test('a setup that fails closes the database it was given', async () => {
    const events: string[] = [];
    const { database } = recordedDatabase(events);
    const failing = {
      ...stateService(events, database),
      setup: async () => {
        throw new Error('no such table');
      },
    };
    await expect(startTestService(failing)).rejects.toThrow('no such table');
    expect(events).toEqual(['database opened', 'database closed']);
  });

  test('handlers that miss an operation of the contract: the service does not start, and closes what it opened', async () => {
    const events: string[] = [];
    const { database } = recordedDatabase(events);
    const declared = stateService(events, database);
    const incomplete = {
      ...declared,
      setup: async (context: Parameters<typeof declared.setup>[0]) => ({
        ...(await declared.setup(context)),
        handlers: {} as Awaited<ReturnType<typeof declared.setup>>['handlers'],
      }),
    };
    await expect(startTestService(incomplete)).rejects.toThrow(
      'state: no handler for operation(s) getState',
    );
    expect(events.slice(-2)).toEqual(['service closed', 'database closed']);
  });

  test("its settings are its own, its database's and each callee's address", () => {
    const { database } = recordedDatabase([]);
    const schema = settingsSchemaOf({
      ...stateService([], database),
      layer: 2,
      calls: { 'token-storage': stateAt<3>() },
    });
    expect(Object.keys(schema.properties).sort()).toEqual([
      'RDS_TOKEN_STORAGE_URL',
      'STATE_DATABASE',
      'STATE_GREETING',
    ]);
    expect(schema.required).toEqual(['RDS_TOKEN_STORAGE_URL']);
  });
});

describe('ports found by name', () => {
  const caller = (findsPortsByName: boolean, found: (ports: PortClient) => void) =>
    defineService({
      name: 'caller',
      layer: 2,
      ...(findsPortsByName ? { findsPortsByName: true as const } : {}),
      version: '1.0.0',
      contract: stateAt<2>(),
      setup: async ({ findPorts }) => {
        found(findPorts());
        return { handlers: { getState: async () => ({ rows: 0 }) } };
      },
    });

  test('a typed client for each port the service is told of, made once, and none for another name', async () => {
    running = await startTestService(stateService([], recordedDatabase([]).database));
    let ports: PortClient | undefined;
    const calling = await startTestService(
      caller(true, (found) => (ports = found)),
      { RDS_STATE_URL: running.url },
    );
    try {
      const state = await ports!('state', stateContract);
      expect((await state!.call('getState')).body).toEqual({ rows: 3 });
      expect(await ports!('state', stateContract)).toBe(state);
      expect(await ports!('elsewhere', stateContract)).toBeUndefined();
    } finally {
      await calling.close();
    }
  });

  test('a service that does not say it finds ports by name is refused them at start', async () => {
    await expect(startTestService(caller(false, () => undefined))).rejects.toThrow(
      'caller finds ports by name but does not say so (findsPortsByName)',
    );
  });
});

describe('the layer rules, where a definition is written', () => {
  const base = { version: '1.0.0' };
  const setup = async () => ({ handlers: { getState: async () => ({ rows: 0 }) } });

  test('a use case may call a central service', () => {
    const definition = defineService({
      ...base,
      name: 'use-case',
      layer: 2,
      contract: stateAt<2>(),
      calls: { central: stateAt<3>() },
      setup,
    });
    expect(Object.keys(definition.calls ?? {})).toEqual(['central']);
  });

  test('a central service that calls a use case, upward, does not compile', () => {
    const definition = defineService({
      ...base,
      name: 'central',
      layer: 3,
      contract: stateAt<3>(),
      // @ts-expect-error -- "use-case is in layer 2, which layer 3 may not call (…: calls go down)"
      calls: { 'use-case': stateAt<2>() },
      setup,
    });
    // `npm run check` fails when this definition compiles; at run time, rds start refuses it too.
    expect(definition.layer).toBe(3);
  });

  test('a port that calls another port, sideways, does not compile', () => {
    const definition = defineService({
      ...base,
      name: 'port',
      layer: 1,
      contract: stateAt<1>(),
      // @ts-expect-error -- ports call only central services
      calls: { other: stateAt<1>() },
      setup,
    });
    expect(definition.layer).toBe(1);
  });

  test("a service that serves another layer's contract does not compile", () => {
    const definition = defineService({
      ...base,
      name: 'central',
      layer: 3,
      // @ts-expect-error -- the contract of a use case (layer 2)
      contract: stateAt<2>(),
      setup,
    });
    expect(definition.layer).toBe(3);
  });
});
