/**
 * Benchmark of an initial Atlassian sync through the adapter and the two-directory emulator (same
 * process): EXTERNALS invited people and MANAGED provisioned people, all in GROUPS mixed groups,
 * planned from scratch and applied once. Prints wall time, the calls made per API route (invite calls
 * against the fewest the 25-address cap allows), and whether a second plan is empty.
 *
 *   node --import tsx bench/atlassian-apply/run.ts
 *   BENCH_EXTERNALS=5000 BENCH_MANAGED=1000 BENCH_GROUPS=20 node --import tsx bench/atlassian-apply/run.ts
 */
import { applyPlan } from '../../src/apply/executor.js';
import { MemoryJournal } from '../../src/apply/types.js';
import { defaultPolicy } from '../../src/config/policy.js';
import type { Snapshot, SourceGroup, SourceUser } from '../../src/model/directory.js';
import { AtlassianOrgAdapter, atlassianSettings } from '../../src/org/atlassian/index.js';
import { assemblePlan } from '../../src/plan/assemble.js';
import { reconcile } from '../../src/reconcile/index.js';
import { MemoryStateStore } from '../../src/store/types.js';
import { startAtlassianEmulator, type AtlassianEmulator } from '../../test/emulators/atlassian/index.js';

const EXTERNALS = Number(process.env.BENCH_EXTERNALS ?? 2_000);
const MANAGED = Number(process.env.BENCH_MANAGED ?? 500);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 10);

function snapshot(): Snapshot {
  const users: SourceUser[] = [];
  for (let i = 0; i < MANAGED; i += 1) users.push({ id: `m-${i}`, email: `m${i}@acme.com`, userName: `m${i}@acme.com`, displayName: `M ${i}`, active: true, attributes: {} });
  for (let i = 0; i < EXTERNALS; i += 1) users.push({ id: `x-${i}`, email: `x${i}@partner${i % 7}.io`, userName: `x${i}`, displayName: `X ${i}`, active: true, attributes: {} });
  const groups: SourceGroup[] = Array.from({ length: GROUPS }, (_, g) => ({ id: `g-${g}`, displayName: `Group ${g}`, description: '', members: users.filter((_, i) => i % GROUPS === g).map((u) => u.id) }));
  return { complete: true, users, groups, issues: [] };
}

function adapter(e: AtlassianEmulator, state: MemoryStateStore): AtlassianOrgAdapter {
  const settings = atlassianSettings.parse({ orgId: e.orgId, apiKey: e.apiKey, directoryId: e.directoryId, scimDirectoryId: e.scimDirectoryId, scimToken: e.scimToken, baseUrl: e.url, requestsPerSecond: 0 });
  return new AtlassianOrgAdapter(settings, { state });
}

async function plan(e: AtlassianEmulator, state: MemoryStateStore, source: Snapshot) {
  const org = adapter(e, state);
  const policy = defaultPolicy();
  const result = reconcile({ snapshot: source, org: await org.readState(), policy, capabilities: org.capabilities });
  return { org, plan: assemblePlan(result, { profile: 'bench', createdAt: new Date(0).toISOString(), sources: [] }) };
}

async function main(): Promise<void> {
  const e = await startAtlassianEmulator();
  e.model.addDomain('acme.com');
  const state = new MemoryStateStore();
  const source = snapshot();
  const started = performance.now();
  const { org, plan: first } = await plan(e, state, source);
  const report = await applyPlan(first, org, { journal: new MemoryJournal(), concurrency: 4 });
  const seconds = (performance.now() - started) / 1000;
  const byRoute: Record<string, number> = {};
  for (const r of e.requests) {
    const route = `${r.method} ${r.path.replace(/\?.*$/, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27,}|712020:[^/]+/g, ':id')}`;
    byRoute[route] = (byRoute[route] ?? 0) + 1;
  }
  const invites = e.requests.filter((r) => r.path.endsWith('/users/invite')).length;
  console.log(`initial sync: ${MANAGED} managed, ${EXTERNALS} externals, ${GROUPS} groups: ${first.operations.length} operations in ${seconds.toFixed(2)} s (${report.status}; ${JSON.stringify(report.counts)})`);
  console.log(`  invite calls: ${invites} (fewest possible: ${Math.ceil(EXTERNALS / 25)}); requests in all: ${e.requests.length}`);
  console.log(`  requests by route: ${JSON.stringify(byRoute)}`);
  const { plan: second } = await plan(e, state, source);
  console.log(`  second plan: ${second.operations.length} operations`);
  await e.close();
}

await main();
