/**
 * The org adapter conformance suite against the Atlassian adapter on the Atlassian emulator (small
 * pages on both APIs, so every list is read across several pages).
 */
import { MemoryStateStore } from '../../src/store/types.js';
import { startAtlassianEmulator } from '../emulators/atlassian/index.js';
import { atlassianAdapter, seedAtlassian } from '../integration/atlassian/harness.js';
import { describeOrgAdapterConformance } from './org-adapter.js';

describeOrgAdapterConformance({
  name: 'atlassian (emulator)',
  async start(seed) {
    const emulator = await startAtlassianEmulator({ maxPageSize: 2, scimPageSize: 2 });
    seedAtlassian(emulator.model, seed);
    const state = new MemoryStateStore();
    return {
      adapter: () => atlassianAdapter(emulator, state),
      throttleNext: (n) => emulator.throttleNext(n, 100),
      throttled: () => emulator.stats().throttled,
      close: () => emulator.close(),
    };
  },
});
