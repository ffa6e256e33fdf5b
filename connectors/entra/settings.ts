/**
 * Settings of the `entra` source, validated once at config load.
 *
 * In: the profile's `source` block minus `kind`. Out: settings with defaults filled in and
 * `graphBaseUrl` without a trailing slash. Exactly one way to authenticate is given: `clientSecret`
 * or `certificatePath` (an app registration, with `clientId`), or `accessToken` (a bearer token
 * obtained elsewhere). Every problem names the key at fault.
 */
import { z } from 'zod';
import { httpUrlSetting } from '../../src/config/url.js';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

const text = z.string().trim().min(1, 'must not be empty');


export const entraSettingsSchema = z
  .object({
    /** Directory (tenant) id or domain; also names the tenant whose delta cursor is stored. */
    tenantId: text,
    /** Application (client) id of the app registration. */
    clientId: text.optional(),
    clientSecret: text.optional(),
    /** PEM file holding the app's certificate and private key, relative to the config file. */
    certificatePath: text.optional(),
    /** Graph service root including the version; any URL, e.g. a national cloud or a local endpoint. */
    graphBaseUrl: httpUrlSetting(DEFAULT_GRAPH_BASE_URL).default(DEFAULT_GRAPH_BASE_URL),
    /** Sign-in authority, e.g. https://login.microsoftonline.us for a national cloud. */
    authorityHost: httpUrlSetting('https://login.microsoftonline.com').optional(),
    /** A bearer token obtained elsewhere, used as is instead of signing in. */
    accessToken: text.optional(),
    /** OData `$filter` on users, e.g. `accountEnabled eq true`. Delta cannot filter, so every read is full. */
    userFilter: text.optional(),
    /** Member lists read at once (16: enough to hide latency, under Graph's smallest tenant budget). */
    concurrency: z.number().int().min(1).max(32).default(16),
  })
  .strict()
  .superRefine((value, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const ways = (['clientSecret', 'certificatePath', 'accessToken'] as const).filter((key) => value[key] !== undefined);
    if (ways.length === 0) issue('clientSecret', 'clientSecret or certificatePath or accessToken is required');
    if (ways.length > 1) issue(ways[1]!, `give only one of clientSecret, certificatePath, accessToken (found ${ways.join(' and ')})`);
    if ((value.clientSecret !== undefined || value.certificatePath !== undefined) && value.clientId === undefined) {
      issue('clientId', 'clientId is required with clientSecret or certificatePath');
    }
  });

export type EntraSettings = z.output<typeof entraSettingsSchema>;
