/**
 * Notifications from a real worker on real Redis to local receivers shaped like a plain webhook,
 * a Slack incoming webhook and a Teams workflow webhook (test/emulators/notify): delivery, retry
 * after a 500, the HMAC signature, dedup, a dead receiver that never holds up a sync, and bodies
 * that carry neither secrets nor addresses unless asked to.
 */
import { createHmac } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../src/config/load.js';
import { openNotifications } from '../../../src/notify/index.js';
import { NOTIFY_QUEUE } from '../../../src/notify/notifier.js';
import { approveAndQueue, openControl, requestResync, type Control } from '../../../src/queue/control.js';
import { startWorker } from '../../../src/queue/worker.js';
import { Keys } from '../../../src/store/keys.js';
import {
  REDIS_URL,
  dumpPrefix,
  freePort,
  keysUnder,
  memoryLogger,
  people,
  randomPrefix,
  removePrefix,
  samplePlan,
  tempDir,
  waitFor,
  writeConfig,
  writeDirectory,
  writeOrg,
} from '../../fixtures/worker/harness.js';
import { startReceiver, type Receiver } from '../../emulators/notify/receivers.js';

const redis = new Redis(REDIS_URL);
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
afterAll(() => redis.quit());

const ENV = { HOOK_TOKEN: 'tok-3f9a1c77e2', HOOK_SECRET: 'sig-key-8d2e61b0' };

interface Setup {
  prefix: string;
  config: Config;
  control: Control;
  directory: string;
  org: string;
  start: () => Promise<{ lines: () => Record<string, unknown>[]; metricsPort: number }>;
}

async function setup(notify: unknown, options: { complete?: boolean; org?: string; directory?: string } = {}): Promise<Setup> {
  const { dir, remove } = await tempDir();
  const prefix = randomPrefix();
  cleanups.push(remove, () => removePrefix(redis, prefix));
  const directory = options.directory ?? join(dir, 'directory.json');
  const org = join(dir, 'org.json');
  if (!options.directory) await writeDirectory(directory, people(3), options.complete ?? true);
  await writeOrg(org, []);
  const metricsPort = await freePort();
  const path = await writeConfig(dir, { prefix, profiles: [{ name: 'acme', directory, org }], worker: { metricsPort }, extra: { notify } });
  const config = await loadConfig(path, ENV);
  const control = await openControl(config, {});
  cleanups.push(() => control.close());
  const start = async () => {
    const { log, lines } = memoryLogger();
    const worker = await startWorker(config, { env: {}, log });
    cleanups.push(() => worker.close());
    return { lines, metricsPort };
  };
  return { prefix, config, control, directory, org, start };
}

async function receivers(...kinds: ('plain' | 'slack' | 'teams')[]): Promise<Receiver[]> {
  const started = await Promise.all(kinds.map((k) => startReceiver(k, k === 'plain' ? { token: ENV.HOOK_TOKEN } : {})));
  for (const r of started) cleanups.push(() => r.close());
  return started;
}

function delivered(r: Receiver, count = 1, what = 'a delivery'): Promise<Receiver['requests']> {
  return waitFor(what, async () => (r.delivered().length >= count ? r.delivered() : undefined));
}

/** The data of every job on the notification queue. */
async function notifyJobData(prefix: string): Promise<string> {
  const keys = (await keysUnder(redis, prefix)).filter((k) => k.startsWith(`{${prefix}}:${NOTIFY_QUEUE}:`));
  const data: string[] = [];
  for (const key of keys) if ((await redis.type(key)) === 'hash') data.push(String(await redis.hget(key, 'data')));
  return data.join('\n');
}

async function metric(port: number, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => pattern.test(l));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('notifications', () => {
  it('tell a plain, a Slack-shaped and a Teams-shaped receiver that a plan awaits approval', async () => {
    const [plain, slack, teams] = await receivers('plain', 'slack', 'teams');
    const s = await setup({
      consoleUrl: 'https://orgsync.example.com/',
      targets: [
        { kind: 'webhook', url: plain!.url, token: '${HOOK_TOKEN}', secret: '${HOOK_SECRET}' },
        { kind: 'slack', url: slack!.url },
        { kind: 'teams', url: teams!.url },
      ],
    });
    const { lines } = await s.start();
    await requestResync(s.control, 'acme', {});
    const planId = (await waitFor('a plan', async () => (await s.control.plans.list({ profile: 'acme' }))[0])).id;
    const [hook] = await delivered(plain!);
    const [fromSlack] = await delivered(slack!);
    const [fromTeams] = await delivered(teams!);

    expect(hook!.headers.authorization).toBe(`Bearer ${ENV.HOOK_TOKEN}`);
    const expected = `sha256=${createHmac('sha256', ENV.HOOK_SECRET).update(hook!.raw).digest('hex')}`;
    expect(hook!.headers['x-orgsync-signature']).toBe(expected);
    expect(hook!.headers['x-orgsync-delivery']).toBe(`plan.awaiting-approval.${planId}`);
    expect(hook!.json).toMatchObject({
      schema: 'orgsync.notification/v1',
      type: 'plan.awaiting-approval',
      profile: 'acme',
      planId,
      summary: { createAccount: 3 },
      link: `https://orgsync.example.com/plans/${planId}`,
    });
    expect(hook!.json).not.toHaveProperty('people');

    const blocks = (fromSlack!.json as { blocks: { type: string; text?: { text: string }; elements?: { url: string }[] }[] }).blocks;
    expect(blocks[0]!.text!.text).toBe('Plan for acme awaits approval');
    expect(blocks.find((b) => b.type === 'actions')!.elements![0]!.url).toBe(`https://orgsync.example.com/plans/${planId}`);
    expect(fromTeams!.status).toBe(202);
    const card = (fromTeams!.json as { attachments: { content: { body: { type: string; facts?: { title: string; value: string }[] }[] } }[] }).attachments[0]!.content;
    expect(card.body.find((b) => b.type === 'FactSet')!.facts).toContainEqual({ title: 'Changes', value: 'createAccount 3' });

    const bodies = [plain!, slack!, teams!].flatMap((r) => r.requests.map((q) => q.raw)).join('\n');
    const notifyJobs = await notifyJobData(s.prefix);
    const stored = await dumpPrefix(redis, s.prefix);
    expect(notifyJobs).toContain(planId);
    for (const secret of [ENV.HOOK_TOKEN, ENV.HOOK_SECRET, 'secretpath']) {
      expect(bodies + JSON.stringify(lines()) + stored).not.toContain(secret);
    }
    for (const address of ['user0001@acme.com', 'user0002@acme.com']) expect(bodies + notifyJobs).not.toContain(address);
  });

  it('retries a receiver that answered 500, with the same delivery id, and counts both outcomes', async () => {
    const [plain] = await receivers('plain');
    plain!.failNext(1, 500);
    const s = await setup({ backoff: '100ms', targets: [{ kind: 'webhook', url: plain!.url, token: '${HOOK_TOKEN}' }] });
    const { metricsPort } = await s.start();
    await requestResync(s.control, 'acme', {});
    await delivered(plain!);
    expect(plain!.requests.map((r) => r.status)).toEqual([500, 204]);
    expect(new Set(plain!.requests.map((r) => r.headers['x-orgsync-delivery'])).size).toBe(1);
    expect(await metric(metricsPort, /^orgsync_notifications_total\{.*result="retrying"/)).toBe(1);
    await waitFor('the sent count', async () => (await metric(metricsPort, /^orgsync_notifications_total\{.*result="sent"/)) === 1);
  });

  it('gives up at once on a receiver that refuses the message, without retrying', async () => {
    const [plain] = await receivers('plain');
    const s = await setup({ attempts: 5, backoff: '100ms', targets: [{ kind: 'webhook', name: 'wrong-token', url: plain!.url, token: 'not-the-token' }] });
    const { lines, metricsPort } = await s.start();
    await requestResync(s.control, 'acme', {});
    await waitFor('the failed count', async () => (await metric(metricsPort, /^orgsync_notifications_total\{target="wrong-token",.*result="failed"/)) === 1);
    expect(plain!.requests.map((r) => r.status)).toEqual([401]);
    expect(await metric(metricsPort, /^orgsync_notifications_total\{.*result="retrying"/)).toBe(0);
    const given = lines().find((l) => l.msg === 'notification not delivered; given up');
    expect(given).toMatchObject({ target: 'wrong-token', attempts: 1 });
    expect(String(given!.reason)).toMatch(/HTTP 401/);
    expect(JSON.stringify(lines())).not.toContain('not-the-token');
  });

  it('sends an event once however often it is raised', async () => {
    const [plain] = await receivers('plain');
    const s = await setup({ targets: [{ kind: 'webhook', url: plain!.url, token: '${HOOK_TOKEN}' }] });
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    cleanups.push(async () => void connection.disconnect());
    const notifier = openNotifications({ config: s.config, redis: connection, keys: new Keys(s.prefix), runs: s.control.runs, log: memoryLogger().log, registry: new Registry(), now: () => new Date() });
    cleanups.push(() => notifier.close());
    const first = samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z' });
    await notifier.planWaiting(first);
    await notifier.planWaiting(first);
    await delivered(plain!);
    await notifier.planWaiting(first);
    await notifier.planWaiting(samplePlan({ profile: 'acme', createdAt: '2026-12-01T11:00:00.000Z' }));
    await delivered(plain!, 2, 'the second plan');
    const queue = new Queue(NOTIFY_QUEUE, { connection: redis, prefix: `{${s.prefix}}` });
    cleanups.push(() => queue.close());
    await waitFor('an idle queue', async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed');
      return counts.waiting + counts.active + counts.delayed === 0 && counts.completed === 2;
    });
    expect(plain!.requests.map((r) => (r.json as { planId: string }).planId)).toEqual([first.id, expect.not.stringMatching(first.id)]);
  });

  it('never holds up a sync when the receiver is down: the plan is made and applied, the notification fails and is counted', async () => {
    const deadPort = await freePort();
    const s = await setup({ attempts: 2, backoff: '100ms', targets: [{ kind: 'slack', name: 'ops-channel', url: `http://127.0.0.1:${deadPort}/services/T0/B0/secretpath` }] });
    const { lines, metricsPort } = await s.start();
    await requestResync(s.control, 'acme', {});
    const planned = await waitFor('a planned plan', async () => (await s.control.plans.list({ profile: 'acme', status: 'planned' }))[0]);
    await approveAndQueue(s.control, planned.id, { by: 'alice' });
    await waitFor('the applied plan', async () => (await s.control.plans.get(planned.id))?.status === 'applied');
    await waitFor('the failed count', async () => (await metric(metricsPort, /^orgsync_notifications_total\{target="ops-channel",event="plan.awaiting-approval",result="failed"/)) === 1);
    const given = lines().find((l) => l.msg === 'notification not delivered; given up');
    expect(given).toMatchObject({ target: 'ops-channel', event: `plan.awaiting-approval.${planned.id}`, attempts: 2 });
    expect(String(given!.reason)).toContain(`127.0.0.1:${deadPort}`);
    expect(JSON.stringify(lines())).not.toContain('secretpath');
    const runs = await s.control.runs.history('acme');
    expect(runs.map((r) => r.outcome).sort()).toEqual(['applied', 'planned']);
  });

  it('says a source was incomplete once it was so the configured number of runs in a row', async () => {
    const [plain] = await receivers('plain');
    const s = await setup({ incompleteRuns: 2, targets: [{ kind: 'webhook', url: plain!.url, token: '${HOOK_TOKEN}', events: ['source.incomplete'] }] }, { complete: false });
    await s.start();
    for (let run = 1; run <= 3; run++) {
      await requestResync(s.control, 'acme', {});
      await waitFor(`run ${run}`, async () => (await s.control.runs.history('acme')).length === run);
    }
    await delivered(plain!);
    const queue = new Queue(NOTIFY_QUEUE, { connection: redis, prefix: `{${s.prefix}}` });
    cleanups.push(() => queue.close());
    await waitFor('an idle queue', async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed');
      return c.waiting + c.active + c.delayed === 0;
    });
    expect(plain!.requests).toHaveLength(1);
    expect(plain!.requests[0]!.json).toMatchObject({ type: 'source.incomplete', profile: 'acme', runs: 2, sources: [{ name: 'acme', kind: 'file', users: 3 }] });
  });

  it('counts an incomplete read once per job, and a complete read ends the streak', async () => {
    const s = await setup([]);
    const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
    expect(await s.control.runs.noteRead('acme', false, 'job-1', at(1))).toEqual({ runs: 1, since: at(1).toISOString() });
    expect(await s.control.runs.noteRead('acme', false, 'job-1', at(2))).toEqual({ runs: 1, since: at(1).toISOString() });
    expect(await s.control.runs.noteRead('acme', false, 'job-2', at(3))).toEqual({ runs: 2, since: at(1).toISOString() });
    expect((await s.control.runs.noteRead('acme', true, 'job-3', at(4))).runs).toBe(0);
    expect(await s.control.runs.noteRead('acme', false, 'job-4', at(5))).toEqual({ runs: 1, since: at(5).toISOString() });
  });

  it('reports an apply that met a conflict, with the address to a target that asks for addresses', async () => {
    const [plain] = await receivers('plain');
    const s = await setup({ targets: [{ kind: 'webhook', url: plain!.url, token: '${HOOK_TOKEN}', events: ['apply.finished'], includeAddresses: true }] });
    await writeOrg(s.org, people(3));
    const renamed = JSON.parse(await readFile(s.directory, 'utf8')) as { users: { displayName: string }[] };
    renamed.users[0]!.displayName = 'Renamed One';
    await writeFile(s.directory, JSON.stringify(renamed));
    await s.start();
    await requestResync(s.control, 'acme', {});
    const planned = await waitFor('a planned plan', async () => (await s.control.plans.list({ profile: 'acme', status: 'planned' }))[0]);
    expect(planned.summary).toEqual({ updateAccount: 1 });
    await writeOrg(s.org, people(2, 2));
    await approveAndQueue(s.control, planned.id, { by: 'alice' });
    const [hook] = await delivered(plain!);
    expect(hook!.json).toMatchObject({
      type: 'apply.finished',
      planId: planned.id,
      counts: { conflict: 1, applied: 0, failed: 0 },
      people: [{ email: 'user0001@acme.com', kind: 'updateAccount', note: 'conflict' }],
    });
  });

  it('reports a run that failed for good, once, with addresses masked', async () => {
    const [plain] = await receivers('plain');
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const missing = join(dir, 'gone@acme.com.json');
    const s = await setup({ targets: [{ kind: 'webhook', url: plain!.url, token: '${HOOK_TOKEN}', events: ['run.failed'] }] }, { directory: missing });
    await s.start();
    await requestResync(s.control, 'acme', {});
    const [hook] = await delivered(plain!);
    expect(hook!.json).toMatchObject({ type: 'run.failed', profile: 'acme', run: 'sync', attempts: 1 });
    const reason = (hook!.json as { reason: string }).reason;
    expect(reason).toContain('not found');
    expect(reason).toContain('[address]');
    expect(reason).not.toContain('gone@acme.com');
  });
});
