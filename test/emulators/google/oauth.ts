/**
 * Google's OAuth 2.0 token endpoint for service accounts (the JWT bearer grant), as the emulator
 * serves it at `POST /token`.
 *
 * A request carries `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and `assertion`, a JWT
 * signed RS256 by the service account's private key. It is checked the way Google documents for
 * service accounts: the signature against the public key of the account named by `iss`; `aud` is
 * Google's token URL; `iat`/`exp` form a window of at most one hour that contains now; `scope` is
 * not empty; with `sub` (domain-wide delegation) the subject is a user of the Workspace and the
 * account's numeric client id is authorized in the Admin console for every scope requested. A
 * granted request answers an access token remembered with its subject and scopes.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { Workspace } from './workspace.js';

export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface ServiceAccount {
  clientEmail: string;
  clientId: string;
  privateKeyId: string;
  publicKey: KeyObject;
  /** The key file as the Google Cloud console downloads it. */
  keyFile: Record<string, string>;
}

/** A new service account with an RSA key, and its JSON key file. */
export function makeServiceAccount(clientEmail = 'orgsync-reader@acme-project.iam.gserviceaccount.com', clientId = '109876543210987654321'): ServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyId = randomBytes(20).toString('hex');
  const keyFile = {
    type: 'service_account',
    project_id: 'acme-project',
    private_key_id: privateKeyId,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: clientId,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: GOOGLE_TOKEN_AUDIENCE,
  };
  return { clientEmail, clientId, privateKeyId, publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })), keyFile };
}

export interface Grant {
  subject: string | undefined;
  scopes: Set<string>;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface OAuthState {
  workspace: Workspace;
  accounts: ServiceAccount[];
  /** Domain-wide delegation: numeric client id -> scopes authorized in the Admin console. */
  delegation: Map<string, Set<string>>;
  tokens: Map<string, Grant>;
  nowSeconds(): number;
}

const refuse = (status: number, error: string, description: string): TokenAnswer => ({ status, body: { error, error_description: description } });

interface Claims {
  iss?: unknown;
  sub?: unknown;
  scope?: unknown;
  aud?: unknown;
  iat?: unknown;
  exp?: unknown;
}

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of a well-formed RS256 JWT signed by a known account, or the refusal. */
function verified(assertion: string, state: OAuthState): { claims: Claims; account: ServiceAccount } | TokenAnswer {
  const parts = assertion.split('.');
  const [header, claims] = [decode(parts[0] ?? ''), decode(parts[1] ?? '')];
  if (parts.length !== 3 || !header || !claims) return refuse(400, 'invalid_grant', 'Invalid JWT: the assertion is not a signed JWT.');
  if (header.alg !== 'RS256') return refuse(400, 'invalid_grant', 'Invalid JWT: the signing algorithm must be RS256.');
  const account = state.accounts.find((a) => a.clientEmail === claims.iss);
  if (!account) return refuse(401, 'invalid_client', 'The OAuth client was not found.');
  const signed = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), account.publicKey, Buffer.from(parts[2]!, 'base64url'));
  if (!signed) return refuse(400, 'invalid_grant', 'Invalid JWT Signature.');
  return { claims, account };
}

/** Answer one token request (the form body already parsed). */
export function tokenRequest(form: URLSearchParams, state: OAuthState): TokenAnswer {
  if (form.get('grant_type') !== JWT_BEARER) return refuse(400, 'unsupported_grant_type', 'Invalid grant_type: ' + (form.get('grant_type') ?? ''));
  const result = verified(form.get('assertion') ?? '', state);
  if ('status' in result) return result;
  const { claims, account } = result;
  if (claims.aud !== GOOGLE_TOKEN_AUDIENCE) return refuse(400, 'invalid_grant', 'Invalid JWT: Failed audience check.');
  const now = state.nowSeconds();
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= iat || iat > now + 300 || exp < now - 300) {
    return refuse(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  if (scopes.length === 0) return refuse(400, 'invalid_scope', 'Empty or missing scope not allowed.');
  const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (subject !== undefined) {
    const authorized = state.delegation.get(account.clientId);
    if (!authorized || scopes.some((scope) => !authorized.has(scope))) {
      return refuse(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
    }
    if (!state.workspace.findUser(subject)) return refuse(400, 'invalid_grant', 'Invalid email or User ID');
  }
  const token = `ya29.emulated-${randomBytes(24).toString('base64url')}`;
  state.tokens.set(token, { subject, scopes: new Set(scopes) });
  return { status: 200, body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } };
}
