/**
 * Google Workspace read benchmark: the `google` source (Google's own `@googleapis/admin` client and
 * `google-auth-library`) against an emulated Workspace of 100k users and 2k groups in another process.
 *
 *   node --expose-gc --import tsx bench/google-read/run.ts [--users 100000] [--groups 2000]
 *        [--members 250] [--latency 20] [--concurrency 4]
 *
 * Prints, for one full read: requests by route against the paging minimum (1 token request,
 * ceil(users/500) user pages, ceil(groups/200) group pages, ceil(members/200) pages per group), wall
 * time, the connector process's CPU and peak RSS, the emulator's CPU; then where the time goes: the
 * same read taken apart (user listing, group listing, member lists, mapping) with a fresh client each.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DirectoryClient, PAGE_SIZES, type ListingParams } from '../../connectors/google/client.js';
import { loadServiceAccountKey } from '../../connectors/google/credentials.js';
import { GoogleSource } from '../../connectors/google/index.js';
import { toSnapshot } from '../../connectors/google/map.js';
import { readMemberLists } from '../../connectors/google/read.js';
import { googleSettingsSchema } from '../../connectors/google/settings.js';
import { defaultPolicy } from '../../src/config/policy.js';
import { silentLogger } from '../../src/log.js';
import { MemoryStateStore } from '../../src/store/types.js';
import { forkEmulator, type EmulatorChild } from '../emulator-child.js';

for (const key of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete process.env[key];

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    groups: { type: 'string', default: '2000' },
    members: { type: 'string', default: '250' },
    latency: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
  },
});
const users = Number(args.users);
const groups = Number(args.groups);
const members = Math.min(Number(args.members), users);

interface Ready {
  rootUrl: string;
  tokenUrl: string;
  keyFile: Record<string, string>;
  subject: string;
}
interface Stats {
  stats: { total: number; byRoute: Record<string, number>; byStatus: Record<string, number> };
  cpuMs: number;
}

function startEmulator(): EmulatorChild {
  const config = { users, groups, membersPerGroup: members, latencyMs: Number(args.latency) };
  return forkEmulator(new URL('./emulator-process.ts', import.meta.url), config);
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000);
};

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  console.log(`  ${label.padEnd(34)} ${String(Math.round(performance.now() - start)).padStart(7)} ms wall ${String(cpuMs(cpu)).padStart(7)} ms CPU`);
  return result;
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) for (const item of page) out.push(item);
  return out;
}

const emulator = startEmulator();
const ready = await emulator.ask<Ready>({}, 'ready');
const dir = mkdtempSync(join(tmpdir(), 'orgsync-google-bench-'));
writeFileSync(join(dir, 'key.json'), JSON.stringify(ready.keyFile));
const settings = googleSettingsSchema.parse({ credentials: 'key.json', subject: ready.subject, rootUrl: ready.rootUrl, tokenUrl: ready.tokenUrl, concurrency: Number(args.concurrency) });
const minimum = { token: 1, users: Math.ceil(users / PAGE_SIZES.users), groups: Math.ceil(groups / PAGE_SIZES.groups), members: groups * Math.max(1, Math.ceil(members / PAGE_SIZES.members)) };
// Group 0 holds one nested group, group 2 the customer, group 3 an outside address: one more member each.
for (let j = [0, 2, 3].filter((index) => index < groups).length; j > 0; j--) minimum.members += Math.ceil((members + 1) / PAGE_SIZES.members) - Math.max(1, Math.ceil(members / PAGE_SIZES.members));

console.log(`google read: ${users} users, ${groups} groups of ${members} members, emulator latency ${args.latency} ms per request, concurrency ${args.concurrency}`);
try {
  global.gc?.();
  const source = new GoogleSource(settings, { baseDir: dir });
  const start = performance.now();
  const cpu = process.cpuUsage();
  const snapshot = await source.read({ policy: defaultPolicy(), state: new MemoryStateStore(), full: true, log: silentLogger() });
  const wall = Math.round(performance.now() - start);
  const connectorCpu = cpuMs(cpu);
  const server = await emulator.ask<Stats>({ type: 'stats' }, 'stats');
  const minimumTotal = Object.values(minimum).reduce((a, b) => a + b, 0);
  console.log(`full read: ${snapshot.users.length} users, ${snapshot.groups.length} groups, complete ${snapshot.complete}`);
  console.log(`  requests ${server.stats.total} (minimum ${minimumTotal}): ${JSON.stringify(server.stats.byRoute)} vs minimum ${JSON.stringify(minimum)}; statuses ${JSON.stringify(server.stats.byStatus)}`);
  console.log(`  wall ${wall} ms; connector CPU ${connectorCpu} ms (${(connectorCpu / server.stats.total).toFixed(2)} ms per request); emulator CPU ${server.cpuMs} ms; connector peak RSS ${peakRss()}`);

  console.log('where the time goes (each part with a fresh client, so each pays its own sign-in):');
  await emulator.ask({ type: 'reset' }, 'reset');
  const key = loadServiceAccountKey('key.json', dir);
  const fresh = () => new DirectoryClient({ rootUrl: settings.rootUrl, tokenUrl: settings.tokenUrl, key, subject: settings.subject });
  const scope: ListingParams = { customer: 'my_customer' };
  await timed('sign-in + first users page', async () => {
    for await (const _ of fresh().users(scope)) break;
  });
  const rawUsers = await timed(`users.list (${minimum.users} pages)`, () => collect(fresh().users(scope)));
  const rawGroups = await timed(`groups.list (${minimum.groups} pages)`, () => collect(fresh().groups(scope)));
  const lists = await timed(`members.list (${minimum.members} pages)`, () => readMemberLists(fresh(), rawGroups.map((g) => g.id!), settings.concurrency, {}));
  await timed('mapping to the snapshot', async () => toSnapshot({ users: rawUsers, groups: rawGroups, members: lists }));
  const parts = await emulator.ask<Stats>({ type: 'stats' }, 'stats');
  console.log(`  emulator CPU for the parts: ${parts.cpuMs} ms over ${parts.stats.total} requests`);
  console.log('figures depend on the machine and its load; re-run on a quiet machine to compare.');
} finally {
  const exited = new Promise((resolve) => emulator.child.once('exit', resolve));
  emulator.child.send({ type: 'close' });
  await exited;
  rmSync(dir, { recursive: true, force: true });
}
