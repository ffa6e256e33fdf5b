/**
 * The emulated `/oauth2/v1/token` endpoint for OAuth 2.0 service apps: a `client_credentials`
 * grant authenticated by a `private_key_jwt` client assertion. The assertion's signature is checked
 * against the registered public key, and its `kid`, `iss`, `sub`, `aud` and `exp` against the app.
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

export interface ServiceApp {
  clientId: string;
  keyId: string;
  /** PEM of the public key registered with the app. */
  publicKey: string;
  /** Scopes granted to the app. */
  scopes: string[];
}

export type TokenAnswer =
  | { status: 200; body: { token_type: 'Bearer'; expires_in: number; access_token: string; scope: string }; scopes: string[] }
  | { status: 400 | 401; body: { error: string; error_description: string } };

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function fail(status: 400 | 401, error: string, description: string): TokenAnswer {
  return { status, body: { error, error_description: description } };
}

export class TokenEndpoint {
  private readonly key: KeyObject;

  constructor(private readonly app: ServiceApp) {
    this.key = createPublicKey(app.publicKey);
  }

  /** Answer a token request (`form` is the decoded form body, `audience` the endpoint's URL). */
  grant(form: URLSearchParams, audience: string): TokenAnswer {
    if (form.get('grant_type') !== 'client_credentials') return fail(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return fail(401, 'invalid_client', 'client_assertion_type is missing or wrong');
    }
    const problem = this.checkAssertion(form.get('client_assertion') ?? '', audience);
    if (problem) return fail(401, 'invalid_client', problem);
    const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const refused = scopes.filter((s) => !this.app.scopes.includes(s));
    if (scopes.length === 0 || refused.length > 0) {
      return fail(400, 'invalid_scope', `The following scopes are not allowed: ${refused.join(' ') || '(none requested)'}`);
    }
    const token = randomBytes(24).toString('base64url');
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: token, scope: scopes.join(' ') }, scopes };
  }

  private checkAssertion(jwt: string, audience: string): string | undefined {
    const parts = jwt.split('.');
    if (parts.length !== 3) return 'client_assertion is not a JWT';
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = decode(parts[0]!);
      claims = decode(parts[1]!);
    } catch {
      return 'client_assertion is not a JWT';
    }
    if (header.alg !== 'RS256') return `unsupported alg ${String(header.alg)}`;
    if (header.kid !== this.app.keyId) return `unknown kid ${String(header.kid)}`;
    const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), this.key, Buffer.from(parts[2]!, 'base64url'));
    if (!signed) return 'The client_assertion signature is invalid.';
    if (claims.iss !== this.app.clientId || claims.sub !== this.app.clientId) return 'iss and sub must be the client_id';
    if (claims.aud !== audience) return `aud must be ${audience}`;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return 'The client_assertion token is expired.';
    return undefined;
  }
}
