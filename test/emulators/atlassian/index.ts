/**
 * The Atlassian Cloud emulator for tests: a two-directory organization written from Atlassian's
 * published API and models (see ASSUMPTIONS.md for the source of each behaviour).
 *
 * ## Start
 * `const e = await startAtlassianEmulator(options)` → `{ url, orgId, directoryId, scimDirectoryId,
 * apiKey, scimToken, model, requests, throttleNext, loseNextAnswer, stats, close }`.
 * - `directoryId`: the **local directory** (invited people, org-API groups).
 * - `scimDirectoryId`: the **identity-provider directory**; SCIM is served at
 *   `${url}/scim/directory/${scimDirectoryId}` with `Authorization: Bearer ${scimToken}`.
 * - The org API is at `${url}/admin/...` with `Authorization: Bearer ${apiKey}`.
 *
 * Options (all optional): `orgId`, `directoryId`, `scimDirectoryId`, `apiKey`, `scimToken`;
 * `extraIdpDirectories: [{ directoryId, name, scimToken }]` (more identity-provider directories, each
 * with its own SCIM API); `maxPageSize` (org API page cap, default 100; user search defaults to 50,
 * group search to 20); `scimPageSize` (default 100); `rateLimit: { limit, windowMs }` (per
 * credential); `failures: { rate, seed }` (seeded 500s before any effect); `inviteDelay: { ms,
 * searches }`; `linksOrigin`; `clock` (ms; a fake clock steps the invite delay).
 *
 * ## Routes
 * Org API: `GET /admin/v1/orgs/{org}/domains`; `GET /admin/v2/orgs/{org}/directories`;
 * `POST .../directories/{dir|-}/users/search`; `GET .../directories/{dir|-}/users/{accountId}` (`{ data }`);
 * `POST /admin/v2/orgs/{org}/users/invite`;
 * `POST .../directories/{dir}/users/{accountId}/suspend|restore`; `DELETE .../directories/{dir}/users/{accountId}`;
 * `POST .../directories/{dir|-}/groups/search`; `POST .../directories/{dir}/groups`;
 * `GET|DELETE .../groups/{groupId}`; `POST .../groups/{groupId}/memberships`;
 * `DELETE .../groups/{groupId}/memberships/{accountId}`; `GET .../groups/{groupId}/role-assignments`;
 * `POST .../groups/{groupId}/role-assignments/assign|revoke` `{ resourceId, roleId }`.
 * SCIM: `/Users`, `/Users/{id}` (GET, POST, PUT, PATCH, DELETE), `/Groups`, `/Groups/{id}` (GET,
 * POST, PUT, PATCH, DELETE). Org API errors: `{ errors: [{ id, status, code, title, detail }] }`, the
 * specific reason in `detail`; SCIM errors: `{ schemas, status, scimType?, detail }`.
 *
 * ## Seeding (on `e.model` unless said otherwise)
 * - `addDomain(name, status = 'verified')`; `addResource(resourceId, { owner?, roles? })` (an app a
 *   role can be granted on; invitations and role assignments on unknown resources fail).
 * - `seedInvited({ email, name?, membershipStatus? })`: an invited person in the local directory.
 * - `addAccount({ email, ... })`: an account in no directory (e.g. a claimed account nobody provisioned).
 * - `seedProvisioned(model, { email, externalId?, displayName?, givenName?, familyName?, title?,
 *   department?, active?, directoryId? })` (from this module): a SCIM user of an IdP directory.
 * - `seedScimGroup(model, name, memberEmails, directoryId?)`, `seedLocalGroup(model, name,
 *   memberEmails)`; or `model.addGroup({ name, directoryId?, externalSynced? })`.
 * - Reading state: `accountByEmail`, `groupByName(name, directoryId = local)`, `directory(id).users`,
 *   `groups`, `scimUsers`, `scimGroups`, `scimUserOfAccount(accountId, directoryId?)`, `invitations`,
 *   `directoriesOf(accountId)`; `statusOf(model, accountId, scope = '-')` (from this module) gives the
 *   composite status the org API would report.
 *
 * ## Test hooks
 * - `e.throttleNext(n, waitMs)`: the next n requests answer 429 (a 429 storm); `e.stats()` counts
 *   `throttled`, `early` (a throttled request repeated before its announced reset) and `failed`.
 * - `e.loseNextAnswer(method, pathRegExp)`: the next matching request acts, then answers 500.
 * - `e.requests`: every request `{ method, path, status, api }`.
 * - `model.inviteDelay = { ms, searches }`: eventual consistency of new invitees (out of searches,
 *   and 404 to operations by account id, until both run out).
 * - `model.failInviteAssignment(email, { kind: 'group' | 'role', id?, reason? })`: that address's
 *   group (or role on resource `id`) assignments answer `ERROR` with `reason`, in every later
 *   invitation until `model.inviteFailures.delete(email.toLowerCase())`.
 * - `model.emailsSentTo(email)`: invitation emails sent (one per invite call with `sendNotification: true`).
 */
export { startAtlassianEmulator, type AtlassianEmulator, type AtlassianEmulatorOptions, type EmulatorStats, type LoggedRequest } from './server.js';
export { AtlassianModel, APP_ROLES, type Account, type ClaimStatus, type Directory, type DirectoryUser, type Domain, type Group, type Invitation, type Resource, type ScimGroupRecord, type ScimUserRecord } from './model.js';
export { ModelError } from './errors.js';
export { seedLocalGroup, seedProvisioned, seedScimGroup, type ProvisionSeed } from './seed.js';
export { IDP_CREATE, SAME_DIRECTORY, SYNCED_ADD, SYNCED_DELETE, SYNCED_REMOVE } from './directory-rules.js';
export { MAX_INVITE_EMAILS } from './invite.js';
export { statusOf } from './org-json.js';
