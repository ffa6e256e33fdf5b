/**
 * Benchmark of the `entra` source against the Graph emulator (same process, default latency):
 * a full read of USERS users and GROUPS groups of ~MEMBERS members, then an incremental read after
 * CHANGES changes. Prints requests made, the minimum the paging allows, wall time and peak RSS
 * (the emulator's tenant lives in the same process and is included).
 *
 *   node --expose-gc --import tsx bench/entra-read/run.ts
 *   BENCH_USERS=20000 BENCH_GROUPS=400 BENCH_LATENCY=50 node --expose-gc --import tsx bench/entra-read/run.ts
 *
 * BENCH_VERIFY=1 also compares the incremental snapshot's users with a fresh full read.
 * BENCH_CONCURRENCY=4,8,16 (with BENCH_ROUNDS, default 3) instead times full reads at each member-list
 * concurrency, interleaved round by round, and prints each one's median wall time and requests.
 */
import { entraSourceFactory } from '../../connectors/entra/index.js';
import { PAGE_SIZE, USER_FIELDS } from '../../connectors/entra/graph.js';
import { defaultPolicy } from '../../src/config/policy.js';
import { silentLogger } from '../../src/log.js';
import type { Snapshot } from '../../src/model/directory.js';
import { MemoryStateStore } from '../../src/store/types.js';
import { groupDelta, userDelta } from '../../test/emulators/graph/delta.js';
import { seedTenant, startGraphEmulator, type GraphEmulator, type Tenant } from '../../test/emulators/graph/index.js';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 2_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 20);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 1_000);
const DELTA_PAGE = 200;
const MEMBER_CHUNK = 100;

const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Fewest requests a full read can make: list pages (direct member lists), then the delta seeding (users and groups `latest`). */
function fullMinimum(tenant: Tenant): { lists: number; seeding: number } {
  let lists = pages(tenant.users.size, PAGE_SIZE) + pages(tenant.groups.size, PAGE_SIZE);
  for (const id of tenant.groups.keys()) lists += pages(tenant.directMembers(id).length, PAGE_SIZE);
  return { lists, seeding: 2 };
}

/** Fewest requests a delta round pair can make for the changes since `version`. */
function deltaMinimum(tenant: Tenant, version: number): number {
  const users = userDelta(tenant, version, USER_FIELDS).length;
  const groups = groupDelta(tenant, version, ['displayName', 'description', 'members'], MEMBER_CHUNK).length;
  return pages(users, DELTA_PAGE) + pages(groups, DELTA_PAGE);
}

async function measure(label: string, graph: GraphEmulator, run: () => Promise<Snapshot>): Promise<Snapshot> {
  globalThis.gc?.();
  graph.stats.reset();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const snapshot = await run();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(`${label}: ${seconds.toFixed(2)} s, ${graph.stats.total} requests, peak RSS ${mb(peak)}, ${snapshot.users.length} users, ${snapshot.groups.length} groups, complete=${snapshot.complete}`);
  console.log(`  requests by route: ${JSON.stringify(graph.stats.byRoute)}`);
  return snapshot;
}

function mutate(tenant: Tenant, count: number): void {
  const users = tenant.userList().slice();
  const groups = tenant.groupList().slice();
  const step = Math.floor(users.length / count) || 1;
  for (let i = 0; i < count; i++) {
    const user = users[(i * step) % users.length]!;
    const group = groups[i % groups.length]!;
    switch (i % 5) {
      case 0:
        tenant.updateUser(user.id, { jobTitle: `Changed ${i}` });
        break;
      case 1:
        tenant.updateUser(user.id, { accountEnabled: false });
        break;
      case 2:
        tenant.addMember(group.id, tenant.addUser({ department: 'New' }).id);
        break;
      case 3:
        tenant.removeUser(user.id);
        break;
      default:
        tenant.addMember(group.id, user.id);
    }
  }
}

/** Full reads at each concurrency, interleaved (4 8 16 4 8 16 ...): medians of wall time and requests. */
async function compareConcurrency(graph: GraphEmulator, levels: number[]): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const times = new Map<number, number[]>(levels.map((c) => [c, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const concurrency of levels) {
      const settings = entraSourceFactory.settings.parse({ tenantId: 'bench', graphBaseUrl: graph.url, accessToken: graph.token, concurrency });
      const source = entraSourceFactory.create(settings, { baseDir: process.cwd() });
      graph.stats.reset();
      const started = performance.now();
      await source.read({ policy: defaultPolicy(), state: new MemoryStateStore(), full: true, log: silentLogger() });
      times.get(concurrency)!.push((performance.now() - started) / 1000);
      console.log(`round ${round}, concurrency ${concurrency}: ${times.get(concurrency)!.at(-1)!.toFixed(2)} s, ${graph.stats.total} requests, 429s ${graph.stats.byStatus[429] ?? 0}`);
    }
  }
  for (const [concurrency, list] of times) console.log(`concurrency ${concurrency}: median ${[...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!.toFixed(2)} s over ${list.length} rounds`);
}

async function main(): Promise<void> {
  console.log(`tenant: ${USERS} users, ${GROUPS} groups x ${MEMBERS} members; node ${process.version}`);
  const { tenant } = seedTenant({ users: USERS, groups: GROUPS, membersPerGroup: MEMBERS, guestEvery: 50, disabledEvery: 40, noMailEvery: 60, nestEvery: 10 });
  const graph = await startGraphEmulator({ tenant, deltaPageSize: DELTA_PAGE, deltaMemberChunk: MEMBER_CHUNK, latencyMs: process.env.BENCH_LATENCY ? Number(process.env.BENCH_LATENCY) : undefined });
  try {
    if (process.env.BENCH_CONCURRENCY) return await compareConcurrency(graph, process.env.BENCH_CONCURRENCY.split(',').map(Number));
    const settings = entraSourceFactory.settings.parse({ tenantId: 'bench', graphBaseUrl: graph.url, accessToken: graph.token });
    const source = entraSourceFactory.create(settings, { baseDir: process.cwd() });
    const state = new MemoryStateStore();
    const policy = defaultPolicy();
    const read = (full: boolean) => () => source.read({ policy, state, full, log: silentLogger() });

    const minimum = fullMinimum(tenant);
    await measure('full read', graph, read(true));
    const made = graph.stats.total;
    const floor = minimum.lists + minimum.seeding;
    console.log(`  minimum: ${minimum.lists} list pages + ${minimum.seeding} delta seeding = ${floor}; made ${made} (${((made / floor - 1) * 100).toFixed(1)}% over)`);

    const version = tenant.version;
    mutate(tenant, CHANGES);
    const incremental = await measure(`delta read after ${CHANGES} changes`, graph, read(false));
    console.log(`  minimum: ${deltaMinimum(tenant, version)} delta pages; made ${graph.stats.total}`);
    console.log(`  stored baseline: ${mb((await state.get('entra.baseline'))?.length ?? 0)} of JSON`);
    if (process.env.BENCH_VERIFY) {
      const fresh = await source.read({ policy, state: new MemoryStateStore(), full: true, log: silentLogger() });
      const same = JSON.stringify(fresh.users) === JSON.stringify(incremental.users);
      console.log(`  verify: delta users ${same ? 'equal' : 'DIFFER from'} a fresh full read (${fresh.users.length} users)`);
    }
  } finally {
    await graph.close();
  }
}

await main();
