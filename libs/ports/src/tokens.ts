import { currentContext, UpstreamError } from '@rds/kit';
import type { components } from '@rds/contracts/generated/token-storage';
import { answerOf, type TokenStorage } from './token-storage.ts';

export type UserToken = components['schemas']['Token'];

/**
 * How long a token read from token-storage serves the same user's calls: a file export makes
 * several calls a second, and each read costs token-storage and the port a round trip. A token
 * is never kept into the last this-many milliseconds before it expires (token-storage refreshes
 * it ahead of that), and one the service refused is dropped at once. So a connection the user
 * replaced or removed is seen at the latest after this long, or at the service's first refusal.
 */
const KEPT_MS = 30_000;
const MAX_KEPT = 10_000;

/**
 * The acting user's token for this port's own service, from token-storage. The user and tenant
 * travel in the service token of each call (the request's context). Tokens stay in this
 * process's memory only, briefly, and are never logged.
 */
export class UserTokens {
  private readonly kept = new Map<string, { token: UserToken; until: number }>();
  private readonly noConnections = new WeakSet<object>();

  /**
   * @param noConnection the problem to answer when the user has no connection, or one that needs
   *   reconnecting: like refused credentials, it is for the user to fix.
   */
  constructor(
    private readonly tokenStorage: TokenStorage,
    private readonly servicename: string,
    private readonly noConnection: () => Error,
  ) {}

  async current(): Promise<UserToken> {
    const key = this.keyOfCaller();
    const kept = key === undefined ? undefined : this.kept.get(key);
    if (kept && kept.until > Date.now()) return kept.token;
    const token = await this.read(
      this.tokenStorage.call('getToken', { params: { servicename: this.servicename } }),
    );
    return this.keep(key, token);
  }

  /** After the service refused `rejected` (401): one fresh token, refreshed at most once across replicas. */
  async afterRejection(rejected: UserToken): Promise<UserToken> {
    const key = this.keyOfCaller();
    if (key !== undefined) this.kept.delete(key);
    // Credentials cannot be refreshed; the stored ones may have been replaced meanwhile.
    if (rejected.kind === 'credentials' || !rejected.access_token) return this.current();
    const fresh = await this.read(
      this.tokenStorage.call('refreshToken', {
        params: { servicename: this.servicename },
        json: { rejected_access_token: rejected.access_token },
      }),
    );
    return this.keep(key, fresh);
  }

  /** Whether `error` says the user has no connection (or one to make again). */
  isNoConnection(error: unknown): boolean {
    return typeof error === 'object' && error !== null && this.noConnections.has(error);
  }

  /** Whose token a call needs: none outside a call for a user, and then nothing is kept. */
  private keyOfCaller(): string | undefined {
    const call = currentContext();
    return call?.user === undefined
      ? undefined
      : JSON.stringify([call.tenant, call.user, this.servicename]);
  }

  private keep(key: string | undefined, token: UserToken): UserToken {
    const now = Date.now();
    const expires = token.expiresAt ? Date.parse(token.expiresAt) : Infinity;
    const until = Math.min(now + KEPT_MS, expires - KEPT_MS);
    if (key === undefined || !(until > now)) return token;
    this.kept.delete(key);
    if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, { token, until });
    return token;
  }

  private async read(call: Promise<{ body: UserToken }>): Promise<UserToken> {
    try {
      return await answerOf(call);
    } catch (error) {
      const status = error instanceof UpstreamError ? error.upstreamStatus : undefined;
      if (status === 404 || status === 409) {
        const problem = this.noConnection();
        this.noConnections.add(problem);
        throw problem;
      }
      throw error;
    }
  }
}
