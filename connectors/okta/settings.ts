/**
 * Settings of the `okta` source, validated once at config load.
 *
 * In: the profile's `source` block minus `kind`. Out: frozen settings with defaults filled in,
 * `orgUrl` without trailing slashes and `scopes` as a list. Either `token` (an SSWS API token) or
 * `clientId` + `privateKey` + `keyId` (an OAuth 2.0 service app) authenticates; every problem
 * names the key at fault.
 */
import { isAbsolute, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { urlCredentialsProblem } from '../../src/config/url.js';
import { configError, messageOf } from '../../src/errors.js';

export const GROUP_TYPES = ['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN'] as const;
export type OktaGroupType = (typeof GROUP_TYPES)[number];

/** The largest `groupPageSize`: Okta's documented default (and largest stated value) for member lists. */
export const MAX_GROUP_PAGE_SIZE = 1000;

/** Read scopes a service app needs for this connector. */
export const DEFAULT_SCOPES = ['okta.users.read', 'okta.groups.read'];

const text = z.string().trim().min(1);

const orgUrl = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const problem = orgUrlProblem(value);
    if (!problem) return value.replace(/\/+$/, '');
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

function orgUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL such as https://acme.okta.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https:// (or http:// for a local endpoint)';
  if (url.search !== '' || url.hash !== '') return 'must not carry a query or fragment';
  return urlCredentialsProblem(url);
}

const scopes = z
  .union([text, z.array(text).min(1)])
  .transform((value) => (Array.isArray(value) ? value : value.split(/\s+/)));

export const oktaSettingsSchema = z
  .object({
    orgUrl,
    token: text.optional(),
    clientId: text.optional(),
    /** PEM (or JWK JSON) text, or a path to a file holding it, relative to the config file. */
    privateKey: text.optional(),
    keyId: text.optional(),
    scopes: scopes.optional(),
    /** Okta search expression selecting the users to read, e.g. `profile.department eq "R&D"`. */
    userSearch: text.optional(),
    /** Okta search expression selecting the groups to read. */
    groupSearch: text.optional(),
    /** Requests in flight at once (member lists read in parallel). */
    concurrency: z.number().int().min(1).max(32).default(4),
    /** Client-side cap on requests per minute, on top of Okta's own rate-limit headers. */
    requestsPerMinute: z.number().positive().optional(),
    groupTypes: z.array(z.enum(GROUP_TYPES)).min(1).default(['OKTA_GROUP', 'APP_GROUP']),
    /** Users per page of a user listing (Okta's maximum is 200). */
    pageSize: z.number().int().min(1).max(200).default(200),
    /**
     * Records per page of the group listing and of member lists. Okta recommends at most 200 for
     * both; 1000 is the largest value it documents for member lists (their default).
     */
    groupPageSize: z.number().int().min(1).max(MAX_GROUP_PAGE_SIZE, `must be at most ${MAX_GROUP_PAGE_SIZE} (Okta recommends 200)`).default(200),
  })
  .strict()
  .superRefine((value, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (value.token && value.clientId) {
      issue('clientId', 'give either token or clientId + privateKey + keyId, not both');
      return;
    }
    if (!value.token && !value.clientId) {
      issue('token', 'required unless clientId + privateKey + keyId (an OAuth 2.0 service app) are given');
      return;
    }
    if (value.clientId) {
      if (!value.privateKey) issue('privateKey', 'required when clientId is set (PEM text or a path to a PEM file)');
      if (!value.keyId) issue('keyId', 'required when clientId is set (the kid of the public key registered with the app)');
    } else {
      for (const key of ['privateKey', 'keyId', 'scopes'] as const) {
        if (value[key] !== undefined) issue(key, 'only used with clientId (OAuth 2.0 service app)');
      }
    }
  });

export type OktaSettings = z.output<typeof oktaSettingsSchema>;

/** How the connector authenticates, with the private key read from its file when it was a path. */
export type OktaAuth =
  | { mode: 'token'; token: string }
  | { mode: 'privateKey'; clientId: string; privateKey: string; keyId: string; scopes: string[] };

/** Resolve the auth block; a key file that cannot be read is a config error naming `privateKey`. */
export function resolveAuth(settings: OktaSettings, baseDir: string): OktaAuth {
  if (settings.token) return { mode: 'token', token: settings.token };
  return {
    mode: 'privateKey',
    clientId: settings.clientId as string,
    privateKey: keyText(settings.privateKey as string, baseDir),
    keyId: settings.keyId as string,
    scopes: settings.scopes ?? DEFAULT_SCOPES,
  };
}

function keyText(value: string, baseDir: string): string {
  if (value.startsWith('-----BEGIN') || value.startsWith('{')) return value;
  const path = isAbsolute(value) ? value : resolve(baseDir, value);
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw configError(`okta source: privateKey: cannot read key file ${path}: ${messageOf(error)}`, error);
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(content) && !content.trim().startsWith('{')) {
    throw configError(`okta source: privateKey: ${path} holds no PEM private key or JWK`);
  }
  return content;
}
