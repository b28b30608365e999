import {
  ProblemError,
  UpstreamError,
  type CallOptions,
  type HttpClient,
  type Response,
} from '@rds/kit';
import { REFUSED, storageProblems, type UserSession, type UserToken } from '@rds/ports';

export const SERVICENAME = 'webdav';

export type DavMethod = 'GET' | 'PUT' | 'DELETE' | 'PROPFIND' | 'MKCOL' | 'MOVE';

export interface DavCall extends Omit<CallOptions, 'method'> {
  method: DavMethod;
}

/**
 * One request's conversation with the WebDAV server as the acting user: the user's token on
 * every call; a 401 is the user's session's to handle (one fresh token and one retry).
 */
export class DavSession {
  constructor(
    private readonly http: HttpClient,
    private readonly user: UserSession,
  ) {}

  /** The user id the credentials name, where they name one. */
  async credentialsUser(): Promise<string | undefined> {
    const token = await this.user.token();
    return token.kind === 'credentials' ? token.userId : undefined;
  }

  /** What identifies the user to the server; the same for the same user and token. */
  async authorization(): Promise<string> {
    return authorizationOf(await this.user.token());
  }

  /** Sends a call and returns any answer but 401; a streamed body cannot be sent twice, so it gets no retry. */
  send(call: DavCall): Promise<Response> {
    const replayable = call.body === undefined || typeof call.body === 'string';
    return this.user.send(async (token) => {
      const response = await this.attempt(call, token);
      if (response.status !== 401) return response;
      await response.body.dump();
      return REFUSED;
    }, replayable);
  }

  private async attempt(call: DavCall, token: UserToken): Promise<Response> {
    try {
      return await this.http.request({
        ...call,
        // The kit's client speaks any method undici does; its type lists only the common ones.
        method: call.method as CallOptions['method'],
        headers: { ...call.headers, authorization: authorizationOf(token) },
      });
    } catch (error) {
      if (error instanceof UpstreamError && error.upstreamStatus === undefined)
        throw storageProblems.unreachable(SERVICENAME);
      throw error;
    }
  }
}

function authorizationOf({ kind, access_token, userId, password }: UserToken): string {
  if (kind === 'oauth2' && access_token) return `Bearer ${access_token}`;
  if (kind === 'credentials' && userId && password)
    return `Basic ${Buffer.from(`${userId}:${password}`).toString('base64')}`;
  throw storageProblems.credentialsRefused(SERVICENAME);
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
