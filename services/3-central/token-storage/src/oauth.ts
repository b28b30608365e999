import type { Dispatcher } from 'undici';
import { HttpClient, ProblemError, UpstreamError } from '@rds/kit';
import type { OAuthClient } from './registry.ts';

/** A token endpoint's answer (RFC 6749 section 5.1). */
export interface TokenAnswer {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
}

/** The provider refused a grant (`invalid_grant`): the code or refresh token is no good. */
export class GrantRefused extends Error {}

/** Talks to a service's OAuth2 endpoints for token-storage: code exchange, refresh, revocation. */
export class OAuthProvider {
  private readonly dispatcher: Dispatcher;

  constructor(dispatcher: Dispatcher) {
    this.dispatcher = dispatcher;
  }

  exchangeCode(
    client: OAuthClient,
    code: string,
    redirectUri: string,
    codeVerifier?: string,
  ): Promise<TokenAnswer> {
    return this.tokenRequest(client, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      ...(codeVerifier ? { code_verifier: codeVerifier } : {}),
    });
  }

  refresh(client: OAuthClient, refreshToken: string): Promise<TokenAnswer> {
    return this.tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** RFC 7009; a provider that does not know the token any more is fine too. */
  async revoke(
    client: OAuthClient,
    token: string,
    hint: 'access_token' | 'refresh_token',
  ): Promise<void> {
    if (!client.revocationUrl) return;
    const response = await this.post(client, client.revocationUrl, {
      token,
      token_type_hint: hint,
    });
    await response.body.dump();
    if (response.status >= 500) throw new UpstreamError(client.servicename, response.status);
  }

  private async tokenRequest(
    client: OAuthClient,
    form: Record<string, string>,
  ): Promise<TokenAnswer> {
    const response = await this.post(client, client.tokenUrl, form);
    const text = await response.body.text();
    let answer: Record<string, unknown> = {};
    try {
      answer = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON: judged by its status alone below.
    }
    if (response.status === 400 && answer.error === 'invalid_grant')
      throw new GrantRefused('invalid_grant');
    if (response.status === 400 || response.status === 401) {
      // invalid_client and friends: the registration's client id or secret is wrong, not the user's grant.
      throw new ProblemError(502, {
        detail: `${client.servicename} refused the client credentials RDS is registered with (${String(answer.error ?? response.status)}).`,
        messageKey: 'oauth.clientRefused',
        args: { servicename: client.servicename, error: String(answer.error ?? response.status) },
      });
    }
    if (response.status !== 200 || typeof answer.access_token !== 'string') {
      throw new UpstreamError(
        client.servicename,
        response.status === 200 ? 502 : response.status,
        'no access token',
      );
    }
    return answer as unknown as TokenAnswer;
  }

  private post(client: OAuthClient, url: string, form: Record<string, string>) {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const body = new URLSearchParams(form);
    if (client.authMethod === 'client_secret_basic') {
      const id = encodeURIComponent(client.clientId);
      const secret = encodeURIComponent(client.clientSecret);
      headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    } else {
      body.set('client_id', client.clientId);
      body.set('client_secret', client.clientSecret);
    }
    // Grants are single-use: a token request is never repeated behind the caller's back.
    const http = new HttpClient({
      name: client.servicename,
      baseUrl: url,
      dispatcher: this.dispatcher,
      timeoutMs: 15_000,
      retry: { attempts: 1 },
    });
    return http.request({ method: 'POST', path: '', body: body.toString(), headers });
  }
}
