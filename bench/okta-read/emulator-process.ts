/**
 * The emulated Okta org of the benchmark, in its own process so the benchmark's memory figures
 * are the connector's alone. Started by `run.ts` with a JSON config as its argument; reports its
 * URL over IPC, answers `stats` and `change` messages, and exits on `close`.
 */
import { startOktaEmulator, type RequestRecord } from '../../test/emulators/okta/index.js';
import { minimumSeconds } from './minimum.js';

interface Config {
  users: number;
  groups: number;
  perMinute: number;
  latencyMs: number;
}

type Message = { type: 'stats'; startedAt?: number; concurrency?: number } | { type: 'change'; users: number; groups: number } | { type: 'close' };

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const okta = await startOktaEmulator({
  seed: { users: config.users, groups: config.groups, groupsPerUser: 2 },
  rateLimit: { perWindow: config.perMinute, windowMs: 60_000 },
  latencyMs: config.latencyMs,
});

/** Requests answered before the last `resetStats`: they may have spent budget a later read meets. */
const history: RequestRecord[] = [];

function stats(startedAt: number | undefined, concurrency: number | undefined) {
  const { log, ...totals } = okta.stats;
  const byFamily: Record<string, number> = {};
  for (const r of log) byFamily[r.family] = (byFamily[r.family] ?? 0) + 1;
  const window = { perWindow: config.perMinute, windowMs: 60_000, latencyMs: config.latencyMs, concurrency: concurrency ?? 1 };
  const served: Record<string, number> = {};
  for (const r of log) if (r.status !== 429) served[r.family] = (served[r.family] ?? 0) + 1;
  const minimum = startedAt === undefined ? undefined : minimumSeconds(served, [...history, ...log], startedAt, window);
  return { ...totals, byFamily, minimum };
}

/** Touch `users` active users and move one member in each of `groups` groups. */
function change(users: number, groups: number): void {
  const org = okta.org;
  const active = org.users.filter((u) => u.status === 'ACTIVE');
  for (let i = 0; i < users; i++) org.updateUser(active[(i * 997) % active.length]!.id, { profile: { title: `Changed ${i}` } });
  const plain = org.groups.filter((g) => g.type !== 'BUILT_IN');
  for (let i = 0; i < groups; i++) {
    const group = plain[(i * 31) % plain.length]!;
    org.removeMember(group.id, group.members[0]!);
  }
}

process.on('message', (message: Message) => {
  if (message.type === 'stats') process.send!({ type: 'stats', stats: stats(message.startedAt, message.concurrency) });
  if (message.type === 'change') {
    change(message.users, message.groups);
    history.push(...okta.stats.log);
    okta.resetStats();
    process.send!({ type: 'changed' });
  }
  if (message.type === 'close') void okta.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', url: okta.url });
