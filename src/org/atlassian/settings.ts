/**
 * Settings of the Atlassian Cloud org adapter (`kind: atlassian`), validated once (strict: an
 * unknown key is an error naming it).
 *
 * - `orgId`, `apiKey`: the organization and its admin API key (bearer) for the org REST API.
 * - `scimDirectoryId`, `scimToken`: the identity provider directory (its id is the SCIM directory
 *   id) and its user-provisioning API key; managed accounts and their groups live there.
 * - `directoryId`: the local directory, where invited people and the external companions of groups
 *   live. Optional: without it, the one directory of the organization that is not `scimDirectoryId`
 *   is used (several candidates are a configuration error). Both ids are checked against
 *   `GET /admin/v2/orgs/{orgId}/directories` at the first read.
 * - `baseUrl`: default `https://api.atlassian.com` (an `http://127.0.0.1:PORT` emulator works).
 * - `requestsPerSecond`: pacing per API key (default 10; Atlassian publishes no numbers; 0 = unpaced).
 * - `pageSize`: items asked per page of the org API searches (default 100).
 * - `memberBatchSize`: members per SCIM group PATCH (default 100).
 * - `inviteBatchSize`: addresses per invitation call (1-25, default 25).
 * - `inviteVisibilityMs`: how long operations wait for a fresh invitee to appear in the directory's
 *   search before they fail (default 30 s; searches are repeated with a growing pause).
 * - `externalGroupSuffix`: appended to a group's name for its companion in the local directory
 *   (default ` (external)`); `managedGroupSuffix`: appended to the identity provider side's name
 *   when the plain name is held by a group an earlier version made in the local directory.
 * - `roles`: what each role name in the policy's `external.roles` grants an invitation, as an
 *   Atlassian permission rule `{ resource: <app instance id>, role: <e.g. atlassian/user> }`.
 * - `revoke`: how `revokeAccess` takes access away after removing the person from the groups the
 *   sync owns: `suspend` (default) suspends their access in the local directory;
 *   `remove-from-groups` stops there (the ownership records remember the revocation and report the
 *   person as `suspended`).
 */
import { z } from 'zod';

const id = z.string().min(1);

export const atlassianSettings = z
  .object({
    orgId: id,
    apiKey: id,
    directoryId: id.optional(),
    scimDirectoryId: id,
    scimToken: id,
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.atlassian.com'),
    requestsPerSecond: z.number().nonnegative().default(10),
    pageSize: z.number().int().min(1).max(100).default(100),
    memberBatchSize: z.number().int().min(1).max(1000).default(100),
    inviteBatchSize: z.number().int().min(1).max(25).default(25),
    inviteVisibilityMs: z.number().int().nonnegative().default(30_000),
    externalGroupSuffix: z.string().min(1).default(' (external)'),
    managedGroupSuffix: z.string().min(1).default(' (managed)'),
    roles: z.record(z.string().min(1), z.object({ resource: id, role: id }).strict()).default({}),
    revoke: z.enum(['suspend', 'remove-from-groups']).default('suspend'),
  })
  .strict()
  .refine((s) => s.directoryId !== s.scimDirectoryId, { path: ['directoryId'], message: 'the local directory cannot be the identity provider (SCIM) directory' })
  .refine((s) => s.externalGroupSuffix.trim() !== s.managedGroupSuffix.trim(), { path: ['managedGroupSuffix'], message: 'must differ from externalGroupSuffix' });

export type AtlassianSettings = z.output<typeof atlassianSettings>;
