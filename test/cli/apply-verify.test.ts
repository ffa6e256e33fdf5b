/**
 * `apply` verifies a plan file before it changes anything: a changed `after` under a kept id, an
 * appended operation, a repeated id, a raised guard limit, a changed basis or a missing digest are
 * refused with exit 1 and one line naming what does not match. `--only` / `--exclude` apply part
 * of a plan and the report says so.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Operation, Plan } from '../../src/model/plan.js';
import { planDigest } from '../../src/plan/digest.js';
import { renderJson } from '../../src/plan/render/json.js';
import { parsePlan } from '../../src/plan/schema.js';
import { verifyPlan } from '../../src/plan/verify.js';
import { operation } from '../../src/reconcile/ids.js';
import { exampleCopy, run, STACK } from './helpers.js';

type Document = Plan & Record<string, unknown>;

describe('apply verifies the plan file', () => {
  let ex: Awaited<ReturnType<typeof exampleCopy>>;
  let orgBefore: string;
  beforeEach(async () => {
    ex = await exampleCopy();
    orgBefore = await ex.read('org.json');
  });
  afterEach(async () => {
    await ex.dispose();
  });
  const cwd = () => ({ cwd: ex.dir });

  async function saved(...extra: string[]): Promise<Document> {
    const result = await run(['plan', '--config', 'orgsync.yaml', '--out', 'plan.json', ...extra], cwd());
    expect(result.code).toBe(0);
    return JSON.parse(await ex.read('plan.json')) as Document;
  }

  /** Write the edited plan, apply it, and expect a refusal matching `message` with the org untouched. */
  async function refused(document: unknown, message: RegExp, ...extra: string[]): Promise<void> {
    await ex.write('plan.json', JSON.stringify(document));
    const result = await run(['apply', 'plan.json', '--org', 'file:org.json', ...extra], cwd());
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(await ex.read('org.json')).toBe(orgBefore);
  }

  it('a plan as saved verifies, also after a JSON round trip (as the plan store keeps it)', async () => {
    const document = await saved();
    expect(() => verifyPlan(parsePlan(JSON.parse(renderJson(document)), 'copy.json'), 'copy.json')).not.toThrow();
    expect(document.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses an operation whose content changed under its id', async () => {
    const document = await saved();
    const at = document.operations.findIndex((op) => op.kind === 'updateAccount');
    document.operations[at]!.after = { title: 'Chief Executive' };
    await refused(document, new RegExp(`^orgsync: plan\\.json: plan ${document.id} does not verify: operations\\[${at}\\] \\(updateAccount emeka\\.obi@acme\\.com\\): id [0-9a-f]{32} is not the hash of its content`));
  });

  it('refuses an appended operation, even with a correct id and summary', async () => {
    const document = await saved();
    const extra: Operation = operation({ kind: 'createAccount', email: 'mallory@acme.com', sourceId: 'u-666', classification: 'claimed', domain: 'acme.com', reason: 'added by hand', after: { email: 'mallory@acme.com' } });
    document.operations.splice(document.operations.findIndex((op) => op.kind === 'createAccount'), 0, extra);
    await refused(document, /does not verify: summary says 4 createAccount, the operations hold 5;/);
    document.summary.createAccount = 5;
    await refused(document, /does not verify: its id is not the hash of its profile, time, fingerprints and operation ids/);
  });

  it('refuses two operations with the same id', async () => {
    const document = await saved();
    const first = document.operations[0]!;
    document.operations.splice(1, 0, { ...first });
    await refused(document, /does not verify: operations\[1\] has the same id as operations\[0\]/);
  });

  it('refuses a raised guard limit, and a raised limit in the basis too', async () => {
    await ex.write('strict.yaml', 'guards: { maxDeprovisions: 1 }\n');
    const document = await saved('--policy', 'strict.yaml');
    expect(document.status).toBe('blocked');
    const guard = document.guards.find((g) => g.name === 'maxDeprovisions')!;
    Object.assign(guard, { limit: 1000, passed: true });
    document.status = 'ready';
    await refused(document, /does not verify: guard maxDeprovisions says 3 of 1000, passed; computed from the operations and the plan's policy figures: maxDeprovisions 3 of 1, failed;/);
    document.basis.limits.maxDeprovisions = 1000;
    await refused(document, /does not verify: digest does not match the plan's content: the file was changed after the plan was made;/);
  });

  it('refuses a plan whose linked-user figure is not the org’s, even with a fresh digest', async () => {
    const document = await saved();
    document.basis.linkedUsers = 1000;
    document.guards = document.guards.map((g) => (g.name === 'maxDeprovisionPercent' ? { ...g, actual: Math.round((3 * 10000) / 1000) / 100 } : g));
    document.digest = planDigest(document);
    await refused(document, /^orgsync: plan p-[0-9a-f]+ says the org had 1000 linked users when its guards were computed, the org it was made against has \d+; nothing was applied\n$/);
  });

  it('refuses a plan without a digest', async () => {
    const document = await saved();
    delete (document as Partial<Document>).digest;
    await refused(document, /^orgsync: plan\.json: not a valid plan: digest: missing: the plan carries no digest/);
  });

  it('--only applies the named kinds and ids, --exclude leaves them out; the report says which', async () => {
    const document = await saved();
    const invite = document.operations.find((op) => op.kind === 'inviteUser')!;
    const only = await run(['apply', 'plan.json', '--org', 'file:org.json', '--only', `createAccount,${invite.id}`], cwd());
    expect(only.stderr).toBe('');
    expect(only.code).toBe(0);
    const applied = only.stdout.split('\n').filter((line) => /^ {2}applied /.test(line));
    expect(applied).toHaveLength(5);
    expect(applied.filter((line) => line.includes('createAccount'))).toHaveLength(4);
    expect(only.stdout).toContain(`Selection: --only createAccount,${invite.id} (5 of ${document.operations.length} operations); the other operations of the plan were not applied.`);

    const rest = await run(['apply', 'plan.json', '--org', 'file:org.json', '--force', '--exclude', 'createAccount,inviteUser,addMembers'], cwd());
    expect(rest.stdout).toMatch(/^Selection: --exclude createAccount,inviteUser,addMembers \(\d+ of \d+ operations\)/m);
    expect(rest.stdout).not.toMatch(/ (createAccount|inviteUser|addMembers) /);
  });

  it('names an --only or --exclude entry that is neither a kind nor an id of the plan (exit 2)', async () => {
    await saved();
    const result = await run(['apply', 'plan.json', '--org', 'file:org.json', '--exclude', 'deleteGroup,nope'], cwd());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^orgsync: apply: --exclude: "nope" is neither an operation kind \(createGroup, .*\) nor the id of an operation in the plan\n$/);
    expect(await ex.read('org.json')).toBe(orgBefore);
  });
});
