import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ContractClient,
  createTokenSigner,
  HttpClient,
  ProblemError,
  UpstreamError,
} from '../src/index.ts';
import { startTestService, TEST_SECRET, type RunningService } from '../src/testing.ts';
import { probe } from './probe-service.ts';

const CONTRACT = fileURLToPath(new URL('./fixtures/probe.yaml', import.meta.url));

interface Answers<Body> {
  200: { headers: Record<string, unknown>; content: { 'application/json': Body } };
}
/** The probe's operations this test calls, as openapi-typescript writes them. */
interface ProbeOperations {
  listContextFiles: {
    parameters: {
      query?: { state?: string[] };
      header?: never;
      path: { contextId: string };
      cookie?: never;
    };
    requestBody?: never;
    responses: Answers<{
      url: string;
      params: Record<string, unknown>;
      query: Record<string, unknown>;
    }>;
  };
  getItem: {
    parameters: { query?: never; header?: never; path: { id: number }; cookie?: never };
    requestBody?: never;
    responses: Answers<{ id: number }>;
  };
  slow: {
    parameters: { query: { ms: number }; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: Answers<{ waited: number }>;
  };
}

let alpha: RunningService;
let http: HttpClient;
let client: ContractClient<ProbeOperations>;

beforeAll(async () => {
  alpha = await startTestService(probe('alpha'));
  http = new HttpClient({
    name: 'alpha',
    baseUrl: alpha.url,
    serviceToken: { sign: createTokenSigner(TEST_SECRET), issuer: 'beta', audience: 'alpha' },
  });
  client = await ContractClient.of<ProbeOperations>(http, CONTRACT);
});
afterAll(async () => {
  await http.close();
  await alpha.close();
});

/** What the call threw or rejected with. */
async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

describe('ContractClient', () => {
  test('a path parameter arrives whole, however awkward: percent-encoded in one segment', async () => {
    for (const contextId of ['a/b', 'two words', '100% done#?.csv', 'Ünïcödé ✓', '../items/7']) {
      const answer = await client.call('listContextFiles', { params: { contextId } });
      expect(answer.status).toBe(200);
      expect(answer.body.params).toEqual({ contextId });
      expect(answer.body.url).toBe(`/contexts/${encodeURIComponent(contextId)}/files`);
    }
  });

  test('a path parameter that is a dot segment is refused as bad input, not sent to another path', async () => {
    for (const contextId of ['.', '..']) {
      const failure = await failureOf(() =>
        client.call('listContextFiles', { params: { contextId } }),
      );
      expect(failure, contextId).toBeInstanceOf(ProblemError);
      expect(failure).not.toBeInstanceOf(UpstreamError);
      const { statusCode, init } = failure as ProblemError;
      expect(statusCode).toBe(400);
      expect(init).toMatchObject({
        messageKey: 'request.invalid',
        errors: [{ pointer: '#/path/contextId', detail: `may not be '${contextId}'` }],
      });
    }
  });

  test('an array query parameter is sent as its name repeated', async () => {
    const answer = await client.call('listContextFiles', {
      params: { contextId: 'c1' },
      query: { state: ['pending', 'done & dusted'] },
    });
    expect(answer.body.url).toBe('/contexts/c1/files?state=pending&state=done+%26+dusted');
    expect(answer.body.query).toEqual({ state: ['pending', 'done & dusted'] });
    const one = await client.call('listContextFiles', {
      params: { contextId: 'c1' },
      query: { state: ['failed'] },
    });
    expect(one.body.query).toEqual({ state: ['failed'] });
    const none = await client.call('listContextFiles', { params: { contextId: 'c1' } });
    expect(none.body.url).toBe('/contexts/c1/files');
  });

  test('a problem the callee answers in the 4xx range is the same problem here', async () => {
    expect((await client.call('getItem', { params: { id: 7 } })).body).toEqual({ id: 7 });
    const failure = await failureOf(() => client.call('getItem', { params: { id: 101 } }));
    expect(failure).toBeInstanceOf(ProblemError);
    expect(failure).not.toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({
      statusCode: 404,
      init: { messageKey: 'item.notFound', detail: 'There is no item 101.', args: { id: 101 } },
    });
  });

  test("one call's own time limit and retries, beside the client's (an event stream waits long)", async () => {
    // undici keeps time in steps of about a second, so the limits here are whole seconds.
    const quick = new HttpClient({
      name: 'alpha',
      baseUrl: alpha.url,
      timeoutMs: 1000,
      retry: { baseDelayMs: 10 },
      serviceToken: { sign: createTokenSigner(TEST_SECRET), issuer: 'beta', audience: 'alpha' },
    });
    const patient = await ContractClient.of<ProbeOperations>(quick, CONTRACT);
    try {
      const waited = await patient.call('slow', { query: { ms: 2500 }, timeoutMs: 0 });
      expect(waited.body).toEqual({ waited: 2500 });
      const started = Date.now();
      const once = await failureOf(() =>
        patient.call('slow', { query: { ms: 2500 }, retry: { attempts: 1 } }),
      );
      expect(once).toBeInstanceOf(UpstreamError);
      // The client's four tries would take four seconds and more.
      expect(Date.now() - started).toBeLessThan(2400);
    } finally {
      await quick.close();
    }
  });

  test('an operation the contract does not have is refused before anything is sent', async () => {
    const failure = await failureOf(() =>
      // @ts-expect-error -- no operation of the contract: the call does not compile either
      client.call('listEverything'),
    );
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure)).toContain('listEverything is no operation of this contract');
  });
});
