/**
 * Where the bearer token for Microsoft Graph comes from.
 *
 * In: validated settings and the directory relative paths resolve against. Out: an
 * `AuthenticationProvider` of the Graph client: a fixed `accessToken`, or an `@azure/identity`
 * credential (client secret or certificate) behind `TokenCredentialAuthenticationProvider`, asking
 * for the `.default` scope of the Graph host in `graphBaseUrl` (so national clouds work).
 * Token acquisition failures become `OrgsyncError`s naming the tenant and client, never the secret.
 * `credentialOptions` reach the credential as is (TLS trust, proxy, instance discovery).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClientCertificateCredential, ClientSecretCredential, type ClientSecretCredentialOptions, type TokenCredential } from '@azure/identity';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { OrgsyncError, configError, isNetworkError, messageOf } from '../../src/errors.js';
import type { EntraSettings } from './settings.js';

/** The scope an app-only token for this Graph host needs: `https://graph.microsoft.com/.default`. */
export function graphScope(graphBaseUrl: string): string {
  return `${new URL(graphBaseUrl).origin}/.default`;
}

export type CredentialOptions = ClientSecretCredentialOptions;

function credentialFor(settings: EntraSettings, baseDir: string, extra: CredentialOptions): TokenCredential {
  const options = settings.authorityHost ? { ...extra, authorityHost: settings.authorityHost } : extra;
  const clientId = settings.clientId as string;
  if (settings.clientSecret !== undefined) {
    return new ClientSecretCredential(settings.tenantId, clientId, settings.clientSecret, options);
  }
  const certificatePath = resolve(baseDir, settings.certificatePath as string);
  if (!existsSync(certificatePath)) throw configError(`entra source: certificatePath: no such file: ${certificatePath}`);
  return new ClientCertificateCredential(settings.tenantId, clientId, { certificatePath }, options);
}

/** Turn a failed sign-in into an error that says who could not sign in and whether to retry. */
function signInError(settings: EntraSettings, error: unknown): OrgsyncError {
  const status = (error as { statusCode?: unknown }).statusCode;
  const retry = isNetworkError(error) || (typeof status === 'number' && status >= 500) ? 'transient' : 'never';
  const who = `client ${settings.clientId ?? '(none)'} in tenant ${settings.tenantId}`;
  return new OrgsyncError('entra-auth', `Microsoft Entra sign-in failed for ${who}: ${messageOf(error)}`, { retry, cause: error });
}

/** The token source for `settings`. Throws a config error when the certificate file is missing. */
export function authProviderFor(settings: EntraSettings, baseDir: string, credentialOptions: CredentialOptions = {}): AuthenticationProvider {
  if (settings.accessToken !== undefined) {
    const token = settings.accessToken;
    return { getAccessToken: async () => token };
  }
  const provider = new TokenCredentialAuthenticationProvider(credentialFor(settings, baseDir, credentialOptions), {
    scopes: [graphScope(settings.graphBaseUrl)],
  });
  return {
    getAccessToken: async () => {
      try {
        return await provider.getAccessToken();
      } catch (error) {
        throw signInError(settings, error);
      }
    },
  };
}
