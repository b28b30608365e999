import { UpstreamError, type HttpClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/token-storage';

export type UserToken = components['schemas']['Token'];

/**
 * The acting user's token for this port's own service, from token-storage. The user and tenant
 * travel in the service token of each call (the request's context).
 */
export class UserTokens {
  /**
   * @param noConnection the problem to answer when the user has no connection, or one that needs
   *   reconnecting: like refused credentials, it is for the user to fix.
   */
  constructor(
    private readonly tokenStorage: HttpClient,
    private readonly servicename: string,
    private readonly noConnection: () => Error,
  ) {}

  current(): Promise<UserToken> {
    return this.read({ path: `/connections/${encodeURIComponent(this.servicename)}/token` });
  }

  /** After the service refused `rejected` (401): one fresh token, refreshed at most once across replicas. */
  afterRejection(rejected: UserToken): Promise<UserToken> {
    // Credentials cannot be refreshed; the stored ones may have been replaced meanwhile.
    if (rejected.kind === 'credentials' || !rejected.access_token) return this.current();
    return this.read({
      method: 'POST',
      path: `/connections/${encodeURIComponent(this.servicename)}/token/refresh`,
      json: { rejected_access_token: rejected.access_token },
    });
  }

  private async read(call: Parameters<HttpClient['json']>[0]): Promise<UserToken> {
    try {
      return await this.tokenStorage.json<UserToken>(call);
    } catch (error) {
      const status = error instanceof UpstreamError ? error.upstreamStatus : undefined;
      if (status === 404 || status === 409) throw this.noConnection();
      throw error;
    }
  }
}
