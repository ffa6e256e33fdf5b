/**
 * Test helpers for the Atlassian adapter: seed the emulator from a conformance `Seed`, and build
 * an adapter on an emulator (unpaced, with a short retry backoff unless told otherwise).
 */
import type { RetryOptions } from '../../../src/http/retry.js';
import { AtlassianOrgAdapter, atlassianSettings } from '../../../src/org/atlassian/index.js';
import type { StateStore } from '../../../src/store/types.js';
import type { Seed } from '../../conformance/org-adapter.js';
import type { AtlassianEmulator, AtlassianModel, ClaimStatus } from '../../emulators/atlassian/index.js';

/** Seed the emulator: linked managed users are SCIM-provisioned; unlinked ones are only claimed accounts. */
export function seedAtlassian(model: AtlassianModel, seed: Seed): void {
  for (const d of seed.domains) model.addDomain(d.name, d.status as ClaimStatus);
  for (const u of seed.users) {
    if (u.externalId !== null) {
      const record = model.provision({
        userName: u.email,
        emails: [{ value: u.email, type: 'work', primary: true }],
        externalId: u.externalId,
        displayName: u.displayName,
        givenName: u.givenName,
        familyName: u.familyName,
        title: u.title,
        active: u.active,
      });
      model.syncAccount(record);
    } else {
      model.addAccount({ email: u.email, name: u.displayName, jobTitle: u.title, accountStatus: u.active ? 'active' : 'inactive', managementSource: 'invited' });
    }
  }
  for (const g of seed.groups) {
    const group = model.addGroup({ name: g.name });
    for (const email of g.members) group.members.add(model.accountByEmail(email)!.accountId);
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
    ...extra,
  });
  return new AtlassianOrgAdapter(settings, { state, retry });
}

