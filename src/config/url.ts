/**
 * URL settings (service base URLs, sign-in authorities), checked once at config load.
 *
 * In: the text of a setting. Out: the URL without trailing slashes, or an issue on that key when it
 * is not http(s), carries a user name or password (credentials belong in the token settings, where
 * they are redacted; in a URL they would reach logs, job data and run records), or, unless the
 * setting allows it, a query string or a fragment (a base URL's query would be dropped or mangled
 * when paths are joined to it, silently changing where requests go).
 */
import { z } from 'zod';

/** Why a URL must not be used as a base URL, or undefined when it is fine. The one check of credentials in URLs. */
export function urlCredentialsProblem(url: URL): string | undefined {
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password (use the token settings)';
  return undefined;
}

/** Every problem of a base URL setting, first one first, or undefined. */
export function baseUrlProblem(value: string, example: string): string | undefined {
  if (!URL.canParse(value)) return `must be an http(s) URL such as ${example}`;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must start with https:// (or http:// for a local endpoint), such as ${example}`;
  const credentials = urlCredentialsProblem(url);
  if (credentials) return credentials;
  if (url.search !== '' || value.includes('?')) return 'must not carry a query string (?...); give the path only';
  if (url.hash !== '' || value.includes('#')) return 'must not carry a fragment (#...)';
  return undefined;
}

/** A zod schema for a base URL setting: checked as above, trailing slashes removed, the path kept. */
export function baseUrlSetting(example: string) {
  return z
    .string()
    .trim()
    .transform((value, ctx) => {
      const problem = baseUrlProblem(value, example);
      if (problem === undefined) return value.replace(/\/+$/, '');
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    });
}

/**
 * A zod schema for a service URL setting whose whole URL is kept (a sign-in authority, an API
 * root): http(s), no query or fragment, no credentials; trailing slashes removed.
 */
export function httpUrlSetting(example: string) {
  return z
    .string()
    .trim()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), `must be an http(s) URL such as ${example}`)
    .refine((value) => !URL.canParse(value) || (new URL(value).search === '' && new URL(value).hash === ''), 'must not carry a query or fragment')
    .refine((value) => !URL.canParse(value) || urlCredentialsProblem(new URL(value)) === undefined, 'must not carry a user name or password (use the token settings)')
    .transform((value) => value.replace(/\/+$/, ''));
}
