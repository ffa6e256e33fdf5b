/**
 * The org adapter conformance suite against the generic SCIM adapter on a real third-party SCIM
 * service (scimmy + scimmy-routers on express), with an invitation webhook so that every operation
 * kind is declared, and a page size of 3 so that lists span several pages.
 */
import { MemoryStateStore } from '../../src/store/types.js';
import { scimAdapter, seedScim, startWebhook } from '../integration/scim/harness.js';
import { startScimServer } from '../integration/scim/server.js';
import { describeOrgAdapterConformance } from './org-adapter.js';

describeOrgAdapterConformance({
  name: 'scim (scimmy)',
  async start(seed) {
    const server = await startScimServer();
    const webhook = await startWebhook();
    seedScim(server, seed);
    const state = new MemoryStateStore();
    return {
      adapter: () => scimAdapter(server, state, { inviteWebhook: webhook.url, pageSize: 3 }),
      throttleNext: (n) => server.throttleNext(n, 0.1),
      throttled: () => server.throttled(),
      close: async () => {
        await server.close();
        await webhook.close();
      },
    };
  },
});
