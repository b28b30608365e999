import type { HttpClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/token-storage';

export type UserToken = components['schemas']['Token'];

/**
 * The acting user's token for this port's own service, from token-storage. The user and tenant
 * travel in the service token of each call (the request's context).
 */
export class UserTokens {
  private readonly tokenStorage: HttpClient;
  private readonly servicename: string;

  constructor(tokenStorage: HttpClient, servicename: string) {
    this.tokenStorage = tokenStorage;
    this.servicename = servicename;
  }

  current(): Promise<UserToken> {
    return this.tokenStorage.json<UserToken>({
      path: `/connections/${encodeURIComponent(this.servicename)}/token`,
    });
  }

  /** After the service refused `rejected` (401): one fresh token, refreshed at most once across replicas. */
  afterRejection(rejected: UserToken): Promise<UserToken> {
    // Credentials cannot be refreshed; the stored ones may have been replaced meanwhile.
    if (rejected.kind === 'credentials' || !rejected.access_token) return this.current();
    return this.tokenStorage.json<UserToken>({
      method: 'POST',
      path: `/connections/${encodeURIComponent(this.servicename)}/token/refresh`,
      json: { rejected_access_token: rejected.access_token },
    });
  }
}
