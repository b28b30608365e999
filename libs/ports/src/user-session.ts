import type { UserToken, UserTokens } from './tokens.ts';

/** What a call made with the user's token returns when the service refused the token. */
export const REFUSED: unique symbol = Symbol('refused');
export type Refused = typeof REFUSED;

/**
 * One request's conversation with a port's service as the acting user, with the user's token
 * from token-storage, read at the first call (a request refused before it needs no token). After
 * a refusal, one fresh token (refreshed, or the stored credentials read again: the user may have
 * connected again meanwhile) and one retry, if the token changed; refused again, or with no
 * fresh token to be had, the user must connect again.
 */
export class UserSession {
  private current: UserToken | undefined;
  private renewed = false;

  /** @param refusal the problem a refused token becomes: for the user to connect again. */
  constructor(
    private readonly tokens: UserTokens,
    private readonly refusal: () => Error,
  ) {}

  /** A session whose token is read at once. */
  static async open(tokens: UserTokens, refusal: () => Error): Promise<UserSession> {
    const session = new UserSession(tokens, refusal);
    await session.token();
    return session;
  }

  /** The token calls are made with now. */
  async token(): Promise<UserToken> {
    this.current ??= await this.tokens.current();
    return this.current;
  }

  /**
   * Runs `call` with the user's token; it returns {@link REFUSED} when the service refused it.
   * A call whose body is a stream cannot be repeated: it is not `replayable`.
   */
  async send<T>(call: (token: UserToken) => Promise<T | Refused>, replayable = true): Promise<T> {
    const rejected = await this.token();
    const first = await call(rejected);
    if (first !== REFUSED) return first;
    if (this.renewed || !replayable) throw this.refusal();
    this.renewed = true;
    const fresh = await this.tokens.afterRejection(rejected).catch((error: unknown) => {
      throw this.tokens.isNoConnection(error) ? this.refusal() : error;
    });
    this.current = fresh;
    if (sameToken(rejected, fresh)) throw this.refusal();
    const second = await call(fresh);
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
