/**
 * The Graph emulator of the comparison, in its own process so neither reader's memory includes it:
 * a seeded tenant served on loopback. Started by `run.ts` with a JSON config as its argument;
 * reports its URL over IPC, answers `stats` (requests by route since the last `stats`) and exits
 * on `close`.
 */
import { seedTenant, startGraphEmulator } from '../../test/emulators/graph/index.js';

interface Config {
  users: number;
  groups: number;
  members: number;
  latencyMs: number;
}

type Message = { type: 'stats' } | { type: 'close' };

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const { tenant } = seedTenant({ users: config.users, groups: config.groups, membersPerGroup: config.members, guestEvery: 50, disabledEvery: 40, noMailEvery: 60, nestEvery: 10 });
const graph = await startGraphEmulator({ tenant, latencyMs: config.latencyMs });

process.on('message', (message: Message) => {
  if (message.type === 'stats') {
    process.send!({ type: 'stats', total: graph.stats.total, byRoute: graph.stats.byRoute, byStatus: graph.stats.byStatus });
    graph.stats.reset();
  }
  if (message.type === 'close') void graph.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', url: graph.url, token: graph.token });
