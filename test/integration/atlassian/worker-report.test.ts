/**
 * What the worker keeps of an Atlassian apply: the result of each operation goes to the plan's
 * Redis journal as the executor records it, and that is what the console's plan page and API read
 * (`PlanStore.show`). An invitation whose role assignment Atlassian refused is there as `failed`
 * with Atlassian's reason. Real Redis, a random key prefix, cleaned up.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/executor.js';
import { Keys } from '../../../src/store/keys.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { op, plan } from '../../conformance/org-adapter.js';
import { startAtlassianEmulator, type AtlassianEmulator } from '../../emulators/atlassian/index.js';
import { REDIS_URL, randomPrefix, removePrefix } from '../../fixtures/worker/harness.js';
import { atlassianAdapter } from './harness.js';

const redis = new Redis(REDIS_URL);
const prefix = randomPrefix();
let emulator: AtlassianEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  await removePrefix(redis, prefix);
});
afterAll(() => redis.quit());

it("keeps Atlassian's reason for a partly refused invitation in the plan's results", async () => {
  emulator = await startAtlassianEmulator();
  const site = 'ari:cloud:jira-software::site/1';
  emulator.model.addResource(site);
  emulator.model.failInviteAssignment('gina@partner.io', { kind: 'role', id: site, reason: 'User limit exceeded for Jira Software' });
  const plans = new PlanStore(redis, new Keys(prefix), { retention: 3, ttlMs: 60_000, now: () => new Date('2026-01-01T00:00:10.000Z') });
  const invite = op({ kind: 'inviteUser', classification: 'external', domain: 'partner.io', email: 'gina@partner.io', sourceId: 'u-gina', after: { email: 'gina@partner.io', groups: [], roles: ['jira'], notify: true } });
  const meta = await plans.save(plan([invite]));
  await plans.approve(meta.id, { by: 'ops' });
  const adapter = atlassianAdapter(emulator, new MemoryStateStore(), { roles: { jira: { resource: site, role: 'atlassian/user' } } });
  const report = await applyPlan((await plans.beginApply(meta.id)).plan, adapter, { journal: plans.journal(meta.id) });
  await plans.finishApply(meta.id, report);
  const stored = await plans.show(meta.id);
  expect(stored?.status).toBe('failed');
  expect(stored?.results).toMatchObject([{ id: invite.id, result: 'failed', message: `inviteUser gina@partner.io: invited, but Atlassian refused role atlassian/user on ${site}: User limit exceeded for Jira Software` }]);
});
