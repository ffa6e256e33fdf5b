/**
 * The org adapter conformance suite against the Atlassian adapter on the two-directory Atlassian
 * emulator (small pages on both APIs, so every list is read across several pages); then again with
 * fresh invitees kept out of searches for a while (eventual consistency) and a tight rate limit.
 */
import { MemoryStateStore } from '../../src/store/types.js';
import { startAtlassianEmulator, type AtlassianEmulatorOptions } from '../emulators/atlassian/index.js';
import { atlassianAdapter, seedAtlassian } from '../integration/atlassian/harness.js';
import { describeOrgAdapterConformance } from './org-adapter.js';

function harness(name: string, options: AtlassianEmulatorOptions) {
  return {
    name,
    async start(seed: Parameters<typeof seedAtlassian>[1]) {
      const emulator = await startAtlassianEmulator({ maxPageSize: 2, scimPageSize: 2, ...options });
      seedAtlassian(emulator.model, seed);
      const state = new MemoryStateStore();
      return {
        adapter: () => atlassianAdapter(emulator, state),
        throttleNext: (n: number) => emulator.throttleNext(n, 100),
        throttled: () => emulator.stats().throttled,
        close: () => emulator.close(),
      };
    },
  };
}

describeOrgAdapterConformance(harness('atlassian (emulator)', {}));
describeOrgAdapterConformance(harness('atlassian (emulator: invite delay, rate limit)', { inviteDelay: { ms: 300, searches: 2 }, rateLimit: { limit: 20, windowMs: 200 } }));
