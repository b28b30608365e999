import type { S3Client } from '@aws-sdk/client-s3';
import { storageProblems, type UserToken, type UserTokens } from '@rds/ports';
import type { S3Clients } from './clients.ts';
import { isRefusal, problemOf, SERVICENAME } from './errors.ts';

/**
 * One request's conversation with S3 as the acting user, with the access key and secret stored
 * in token-storage. After a refusal, the stored credentials are read once more (the user may
 * have connected again meanwhile) and the call is repeated once if they changed; a second
 * refusal means the user must connect again.
 */
export class S3Session {
  private readonly clients: S3Clients;
  private readonly tokens: UserTokens;
  private token: UserToken;
  private renewed = false;

  private constructor(clients: S3Clients, tokens: UserTokens, token: UserToken) {
    this.clients = clients;
    this.tokens = tokens;
    this.token = token;
  }

  static async open(clients: S3Clients, tokens: UserTokens): Promise<S3Session> {
    return new S3Session(clients, tokens, await tokens.current());
  }

  /**
   * Runs `call` with the user's client; every failure leaves as the problem it means for `path`.
   * A call whose body is a stream cannot be repeated: it is not `replayable`.
   */
  async send<T>(
    call: (client: S3Client) => Promise<T>,
    path: string,
    replayable = true,
  ): Promise<T> {
    try {
      return await call(this.client());
    } catch (error) {
      if (!isRefusal(error)) throw problemOf(error, path);
      if (this.renewed || !replayable) throw storageProblems.credentialsRefused(SERVICENAME);
    }
    this.renewed = true;
    const rejected = this.token;
    this.token = await this.tokens.afterRejection(rejected);
    if (this.token.userId === rejected.userId && this.token.password === rejected.password)
      throw storageProblems.credentialsRefused(SERVICENAME);
    try {
      return await call(this.client());
    } catch (error) {
      throw isRefusal(error)
        ? storageProblems.credentialsRefused(SERVICENAME)
        : problemOf(error, path);
    }
  }

  private client(): S3Client {
    const { kind, userId, password } = this.token;
    if (kind !== 'credentials' || !userId || !password)
      throw storageProblems.credentialsRefused(SERVICENAME);
    return this.clients.of(userId, password);
  }
}
