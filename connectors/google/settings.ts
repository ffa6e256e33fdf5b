/**
 * Settings of the `google` source, validated once at config load.
 *
 * In: the profile's `source` block minus `kind`. Out: settings with defaults filled in and URLs
 * without trailing slashes. `credentials` is a service-account JSON key: a path to the key file
 * (relative to the config file) or the JSON text itself (typically `"${GOOGLE_CREDENTIALS}"`).
 * `subject` is the Workspace admin the service account acts as through domain-wide delegation.
 * Every problem names the key at fault; the key file itself is read by `credentials.ts`.
 */
import { z } from 'zod';
import { httpUrlSetting } from '../../src/config/url.js';

export const DEFAULT_ROOT_URL = 'https://admin.googleapis.com';
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Read-only scopes the service account must be granted in the Admin console (domain-wide delegation). */
export const SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
] as const;

const text = z.string().trim().min(1, 'must not be empty');


export const googleSettingsSchema = z
  .object({
    /** Customer id, or `my_customer` (the customer of `subject`). */
    customer: text.optional(),
    /** Read one domain of the customer instead of the whole customer. */
    domain: text.optional(),
    /** Service-account JSON key: a file path (relative to the config file) or the JSON text. */
    credentials: text,
    /** The Workspace admin the service account impersonates (domain-wide delegation). */
    subject: z.string().trim().regex(/^[^@\s]+@[^@\s]+$/, 'must be the address of a Workspace admin, e.g. admin@acme.com'),
    /** Directory API `query` for users.list, e.g. `isSuspended=false orgDepartment='R&D'`. */
    userQuery: text.optional(),
    /** Directory API `query` for groups.list, e.g. `email:atlassian-*`. */
    groupQuery: text.optional(),
    /** API root; any http(s) base for tests and proxies. */
    rootUrl: httpUrlSetting(DEFAULT_ROOT_URL).default(DEFAULT_ROOT_URL),
    /** OAuth 2.0 token endpoint the signed JWT is posted to. */
    tokenUrl: httpUrlSetting(DEFAULT_TOKEN_URL).default(DEFAULT_TOKEN_URL),
    /** Member lists read at once. */
    concurrency: z.number().int().min(1).max(32).default(4),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.customer !== undefined && value.domain !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['domain'], message: 'give customer or domain, not both' });
    }
  });

export type GoogleSettings = z.output<typeof googleSettingsSchema>;

/** Which part of Google Workspace a listing covers: `{ customer }` or `{ domain }`. */
export function listingScope(settings: GoogleSettings): { customer: string } | { domain: string } {
  return settings.domain !== undefined ? { domain: settings.domain } : { customer: settings.customer ?? 'my_customer' };
}
