/**
 * Settings of the Atlassian Cloud org adapter (`kind: atlassian`), validated once (strict: an
 * unknown key is an error naming it).
 *
 * - `orgId`, `apiKey`: the organization and its admin API key (bearer) for the org REST API.
 * - `directoryId`: the user directory whose users and groups are read and changed.
 * - `scimDirectoryId`, `scimToken`: the user-provisioning (SCIM) directory and its API key; managed
 *   accounts are created, updated, linked, deactivated and reactivated through it.
 * - `baseUrl`: default `https://api.atlassian.com` (an `http://127.0.0.1:PORT` emulator works).
 * - `requestsPerSecond`: pacing per API key (default 10; Atlassian publishes no numbers; 0 = unpaced).
 * - `pageSize`: items asked per page of the org API searches (default 100).
 * - `roles`: what each role name in the policy's `external.roles` grants an invitation, as an
 *   Atlassian permission rule `{ resource: <app instance id>, role: <e.g. atlassian/user> }`.
 * - `revoke`: how `revokeAccess` takes access away after removing the person from the groups the
 *   sync owns: `suspend` (default) suspends their access in the directory; `remove-from-groups`
 *   stops there (the person keeps any access granted by hand; the ownership records remember the
 *   revocation and report the person as `suspended`).
 */
import { z } from 'zod';

const id = z.string().min(1);

export const atlassianSettings = z
  .object({
    orgId: id,
    apiKey: id,
    directoryId: id,
    scimDirectoryId: id,
    scimToken: id,
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.atlassian.com'),
    requestsPerSecond: z.number().nonnegative().default(10),
    pageSize: z.number().int().min(1).max(100).default(100),
    roles: z.record(z.string().min(1), z.object({ resource: id, role: id }).strict()).default({}),
    revoke: z.enum(['suspend', 'remove-from-groups']).default('suspend'),
  })
  .strict();

export type AtlassianSettings = z.output<typeof atlassianSettings>;
