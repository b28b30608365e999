import type { S3Client } from '@aws-sdk/client-s3';
import { REFUSED, storageProblems, UserSession, type UserToken, type UserTokens } from '@rds/ports';
import type { S3Clients } from './clients.ts';
import { isRefusal, problemOf, SERVICENAME } from './errors.ts';

/**
 * One request's conversation with S3 as the acting user, with the access key and secret stored
 * in token-storage; a refusal is retried once with the credentials stored since, if they changed
 * (the user's session in `@rds/ports`).
 */
export class S3Session {
  private constructor(
    private readonly clients: S3Clients,
    private readonly user: UserSession,
  ) {}

  static of(clients: S3Clients, user: UserSession): S3Session {
    return new S3Session(clients, user);
  }

  static async open(clients: S3Clients, tokens: UserTokens): Promise<S3Session> {
    const refusal = () => storageProblems.credentialsRefused(SERVICENAME);
    return new S3Session(clients, await UserSession.open(tokens, refusal));
  }

  /**
   * Runs `call` with the user's client; every failure leaves as the problem it means for `path`.
   * A call whose body is a stream cannot be repeated: it is not `replayable`.
   */
  send<T>(call: (client: S3Client) => Promise<T>, path: string, replayable = true): Promise<T> {
    return this.user.send(async (token) => {
      try {
        return await call(this.client(token));
      } catch (error) {
        if (isRefusal(error)) return REFUSED;
        throw problemOf(error, path);
      }
    }, replayable);
  }

  private client({ kind, userId, password }: UserToken): S3Client {
    if (kind !== 'credentials' || !userId || !password)
      throw storageProblems.credentialsRefused(SERVICENAME);
    return this.clients.of(userId, password);
  }
}
