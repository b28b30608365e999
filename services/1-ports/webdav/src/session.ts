import {
  ProblemError,
  UpstreamError,
  type CallOptions,
  type HttpClient,
  type Response,
} from '@rds/kit';
import { storageProblems, type UserToken, type UserTokens } from '@rds/ports';

export const SERVICENAME = 'webdav';

export type DavMethod = 'GET' | 'PUT' | 'DELETE' | 'PROPFIND' | 'MKCOL' | 'MOVE';

export interface DavCall extends Omit<CallOptions, 'method'> {
  method: DavMethod;
}

/**
 * One request's conversation with the WebDAV server as the acting user: the user's token from
 * token-storage on every call; after a 401, one fresh token and one retry, and a second 401 means
 * the user must connect again.
 */
export class DavSession {
  private readonly http: HttpClient;
  private readonly tokens: UserTokens;
  private token: UserToken;
  private renewed = false;

  private constructor(http: HttpClient, tokens: UserTokens, token: UserToken) {
    this.http = http;
    this.tokens = tokens;
    this.token = token;
  }

  static async open(http: HttpClient, tokens: UserTokens): Promise<DavSession> {
    return new DavSession(http, tokens, await tokens.current());
  }

  /** The user id the credentials name, where they name one. */
  get credentialsUser(): string | undefined {
    return this.token.kind === 'credentials' ? this.token.userId : undefined;
  }

  /** What identifies the user to the server; the same for the same user and token. */
  get authorization(): string {
    const { kind, access_token, userId, password } = this.token;
    if (kind === 'oauth2' && access_token) return `Bearer ${access_token}`;
    if (kind === 'credentials' && userId && password)
      return `Basic ${Buffer.from(`${userId}:${password}`).toString('base64')}`;
    throw storageProblems.credentialsRefused(SERVICENAME);
  }

  /** Sends a call and returns any answer but 401; a streamed body cannot be sent twice, so it gets no retry. */
  async send(call: DavCall): Promise<Response> {
    const response = await this.attempt(call);
    if (response.status !== 401) return response;
    await response.body.dump();
    const replayable = call.body === undefined || typeof call.body === 'string';
    if (this.renewed || !replayable) throw storageProblems.credentialsRefused(SERVICENAME);
    this.renewed = true;
    const rejected = this.token;
    this.token = await this.tokens.afterRejection(rejected);
    const retried = await this.attempt(call);
    if (retried.status !== 401) return retried;
    await retried.body.dump();
    throw storageProblems.credentialsRefused(SERVICENAME);
  }

  private async attempt(call: DavCall): Promise<Response> {
    try {
      return await this.http.request({
        ...call,
        // The kit's client speaks any method undici does; its type lists only the common ones.
        method: call.method as CallOptions['method'],
        headers: { ...call.headers, authorization: this.authorization },
      });
    } catch (error) {
      if (error instanceof UpstreamError && error.upstreamStatus === undefined)
        throw storageProblems.unreachable(SERVICENAME);
      throw error;
    }
  }
}

/** Returns the answer when its status is one of `expected`; otherwise the problem it means. */
export async function expectStatus(
  response: Response,
  expected: number[],
  path: string,
): Promise<Response> {
  if (expected.includes(response.status)) return response;
  await response.body.dump();
  throw problemFor(response.status, path);
}

/** Like {@link expectStatus}, for answers whose body says nothing needed. */
export async function settle(response: Response, expected: number[], path: string): Promise<void> {
  await response.body.dump();
  if (!expected.includes(response.status)) throw problemFor(response.status, path);
}

export function problemFor(status: number, path: string): ProblemError {
  switch (status) {
    case 404:
      return storageProblems.notFound(path);
    case 409:
      return storageProblems.parentMissing(path);
    case 502:
    case 503:
    case 504:
      return storageProblems.unreachable(SERVICENAME);
    default:
      return new UpstreamError(SERVICENAME, status);
  }
}
