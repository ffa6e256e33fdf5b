/**
 * Test helpers for the Atlassian adapter: seed the two-directory emulator from a conformance `Seed`,
 * and build an adapter on an emulator (unpaced, with a short retry backoff unless told otherwise).
 */
import type { RetryOptions } from '../../../src/http/retry.js';
import { AtlassianOrgAdapter, atlassianSettings } from '../../../src/org/atlassian/index.js';
import type { StateStore } from '../../../src/store/types.js';
import type { Seed } from '../../conformance/org-adapter.js';
import { seedLocalGroup, seedProvisioned, seedScimGroup, type AtlassianEmulator, type AtlassianModel, type ClaimStatus } from '../../emulators/atlassian/index.js';

/**
 * Seed the emulator: people on a claimed domain are SCIM users of the identity provider directory
 * (linked when the seed gives an `externalId`); everyone else was invited into the local directory.
 * A group of SCIM users only is a SCIM group; any other group is a local-directory group.
 */
export function seedAtlassian(model: AtlassianModel, seed: Seed): void {
  for (const d of seed.domains) model.addDomain(d.name, d.status as ClaimStatus);
  for (const u of seed.users) {
    if (model.isClaimed(u.email)) {
      seedProvisioned(model, { email: u.email, externalId: u.externalId ?? undefined, displayName: u.displayName, givenName: u.givenName, familyName: u.familyName, title: u.title, active: u.active });
    } else {
      model.seedInvited({ email: u.email, name: u.displayName });
    }
  }
  for (const g of seed.groups) {
    const provisioned = g.members.every((email) => model.isClaimed(email));
    if (provisioned) seedScimGroup(model, g.name, g.members);
    else seedLocalGroup(model, g.name, g.members);
  }
}

export function atlassianAdapter(emulator: AtlassianEmulator, state: StateStore, extra: Record<string, unknown> = {}, retry: RetryOptions = { minDelayMs: 5, maxDelayMs: 50 }): AtlassianOrgAdapter {
  const settings = atlassianSettings.parse({
    orgId: emulator.orgId,
    apiKey: emulator.apiKey,
    directoryId: emulator.directoryId,
    scimDirectoryId: emulator.scimDirectoryId,
    scimToken: emulator.scimToken,
    baseUrl: emulator.url,
    requestsPerSecond: 0,
    inviteVisibilityMs: 2000,
    ...extra,
  });
  return new AtlassianOrgAdapter(settings, { state, retry });
}
