import type { UserToken, UserTokens } from './tokens.ts';

/** What a call made with the user's token returns when the service refused the token. */
export const REFUSED: unique symbol = Symbol('refused');
export type Refused = typeof REFUSED;

/**
 * One request's conversation with a port's service as the acting user, with the user's token
 * from token-storage. After a refusal, one fresh token (refreshed, or the stored credentials read
 * again: the user may have connected again meanwhile) and one retry, if the token changed; a
 * second refusal means the user must connect again.
 */
export class UserSession {
  private renewed = false;

  private constructor(
    private readonly tokens: UserTokens,
    private current: UserToken,
    private readonly refusal: () => Error,
  ) {}

  /** @param refusal the problem a refused token becomes: for the user to connect again. */
  static async open(tokens: UserTokens, refusal: () => Error): Promise<UserSession> {
    return new UserSession(tokens, await tokens.current(), refusal);
  }

  get token(): UserToken {
    return this.current;
  }

  /** The problem saying the service refused the user's token. */
  refused(): Error {
    return this.refusal();
  }

  /**
   * Runs `call` with the user's token; it returns {@link REFUSED} when the service refused it.
   * A call whose body is a stream cannot be repeated: it is not `replayable`.
   */
  async send<T>(call: (token: UserToken) => Promise<T | Refused>, replayable = true): Promise<T> {
    const first = await call(this.current);
    if (first !== REFUSED) return first;
    if (this.renewed || !replayable) throw this.refusal();
    this.renewed = true;
    const rejected = this.current;
    this.current = await this.tokens.afterRejection(rejected);
    if (sameToken(rejected, this.current)) throw this.refusal();
    const second = await call(this.current);
    if (second !== REFUSED) return second;
    throw this.refusal();
  }
}

function sameToken(a: UserToken, b: UserToken): boolean {
  return (
    a.kind === b.kind &&
    a.access_token === b.access_token &&
    a.userId === b.userId &&
    a.password === b.password
  );
}
