/**
 * The generic SCIM adapter against scimmy, beyond the conformance suite: settings, capabilities,
 * paging over small or broken pages, member batches, versions (If-Match / 412), a group create
 * answered 409, the invitation webhook, and reads that fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/executor.js';
import { MemoryJournal } from '../../../src/apply/types.js';
import { validate } from '../../../src/config/validate.js';
import type { OrgState } from '../../../src/model/org.js';
import type { Operation } from '../../../src/model/plan.js';
import { ScimOrgAdapter, scimSettings } from '../../../src/org/scim/index.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { op, plan } from '../../conformance/org-adapter.js';
import { scimAdapter, startWebhook, type Webhook } from './harness.js';
import { startScimServer, type ScimServer, type ScimServerOptions } from './server.js';

const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function server(options: ScimServerOptions = {}): Promise<ScimServer> {
  const started = await startScimServer(options);
  open.push(started);
  return started;
}

async function webhook(): Promise<Webhook> {
  const started = await startWebhook();
  open.push(started);
  return started;
}

function addUsers(s: ScimServer, emails: string[]): string[] {
  return emails.map((email) => {
    const id = s.store.newId('user');
    s.store.put(s.store.users, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id, userName: email, displayName: email, emails: [{ value: email, primary: true }], active: true });
    return id;
  });
}

function addGroup(s: ScimServer, name: string, members: string[] = [], externalId?: string): string {
  const id = s.store.newId('group');
  s.store.put(s.store.groups, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id, displayName: name, ...(externalId ? { externalId } : {}), members: members.map((value) => ({ value })) });
  return id;
}

async function applyOps(adapter: ReturnType<typeof scimAdapter>, operations: Operation[]) {
  return applyPlan(plan(operations), adapter, { journal: new MemoryJournal() });
}

function userOf(state: OrgState, email: string) {
  return state.users.find((u) => u.email === email)!;
}

describe('scim settings', () => {
  it('normalizes the claimed domains and names every key at fault', () => {
    const parsed = scimSettings.parse({ baseUrl: 'http://127.0.0.1:1/scim', token: 't', domains: ['ACME.com.', 'bücher.de'] });
    expect(parsed.domains).toEqual(['acme.com', 'xn--bcher-kva.de']);
    expect(parsed).toMatchObject({ memberBatchSize: 100, pageSize: 100, requestsPerSecond: 10 });
    expect(() => validate(scimSettings, { baseUrl: 'http://127.0.0.1:1', token: 't', domains: ['acme .com'] }, 'orgsync.yaml', 'profiles[0].org')).toThrow(
      /orgsync\.yaml: profiles\[0\]\.org\.domains\[0\]: "acme \.com" is not a domain name/,
    );
    expect(() => validate(scimSettings, { baseUrl: 'ftp://x', token: 't', tokn: 'x' }, 'c.yaml')).toThrow(/unknown key tokn/);
    expect(() => validate(scimSettings, { baseUrl: 'http://127.0.0.1:1', token: 't', inviteWebhookToken: 's' }, 'c.yaml')).toThrow(/inviteWebhookToken: inviteWebhookToken needs inviteWebhook/);
  });

  it('declares invitations only when an invitation webhook is configured', async () => {
    const s = await server();
    const plain = scimAdapter(s, new MemoryStateStore());
    expect(plain.capabilities.has('inviteUser')).toBe(false);
    expect(plain.capabilities.has('revokeAccess')).toBe(false);
    expect(plain.capabilities.has('createAccount')).toBe(true);
    const hooked = scimAdapter(s, new MemoryStateStore(), { inviteWebhook: 'http://127.0.0.1:9/hook' });
    expect(hooked.capabilities.has('inviteUser')).toBe(true);
    expect(hooked.capabilities.has('revokeAccess')).toBe(true);
  });
});

describe('scim reads', () => {
  it('reads every user when the server serves fewer items per page than asked', async () => {
    const s = await server({ maxPageSize: 20 });
    addUsers(s, Array.from({ length: 45 }, (_, i) => `user${i}@acme.com`));
    const state = await scimAdapter(s, new MemoryStateStore()).readState();
    expect(state.users).toHaveLength(45);
    expect(new Set(state.users.map((u) => u.email)).size).toBe(45);
    const pages = s.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/scim/Users'));
    expect(pages.map((r) => new URL(r.path, 'http://x').searchParams.get('startIndex'))).toEqual(['1', '21', '41']);
  });

  it('fails the read when the server ignores startIndex, instead of repeating or dropping users', async () => {
    const s = await server({ rawQuery: true });
    addUsers(s, Array.from({ length: 25 }, (_, i) => `user${i}@acme.com`));
    await expect(scimAdapter(s, new MemoryStateStore()).readState()).rejects.toThrow(/SCIM Users: asked for startIndex 21, the server answered startIndex 1; paging cannot continue/);
  });

  it('fails the read, naming the resource and indexes, when a page comes back empty before totalResults', async () => {
    const s = await server({ maxPageSize: 20 });
    addUsers(s, Array.from({ length: 45 }, (_, i) => `user${i}@acme.com`));
    s.emptyNextPage('Users');
    await expect(scimAdapter(s, new MemoryStateStore()).readState()).rejects.toThrow('SCIM Users: page at startIndex 21 has no items, but totalResults is 45 (20 read); the list would be incomplete');
    expect((await scimAdapter(s, new MemoryStateStore()).readState()).users).toHaveLength(45);
  });

  it('fails the read when a list keeps failing', async () => {
    const s = await server();
    addUsers(s, ['a@acme.com']);
    s.throttleNext(100, 0.001);
    await expect(scimAdapter(s, new MemoryStateStore()).readState()).rejects.toThrow(/answered 429/);
  });

  it('reports managed only for addresses on the configured domains, whole-domain match', async () => {
    const s = await server();
    addUsers(s, ['a@acme.com', 'b@eu.acme.com', 'c@acme.com.evil.io', 'd@ACME.COM']);
    const state = await scimAdapter(s, new MemoryStateStore()).readState();
    expect(Object.fromEntries(state.users.map((u) => [u.email, u.managed]))).toEqual({ 'a@acme.com': true, 'b@eu.acme.com': false, 'c@acme.com.evil.io': false, 'd@ACME.COM': true });
    expect(state.domains).toEqual([{ name: 'acme.com', status: 'verified' }]);
  });
});

describe('scim changes', () => {
  it('adds members in PATCH batches of memberBatchSize', async () => {
    const s = await server();
    const ids = addUsers(s, Array.from({ length: 7 }, (_, i) => `m${i}@acme.com`));
    const group = addGroup(s, 'Big', [], 'g-big');
    const adapter = scimAdapter(s, new MemoryStateStore(), { memberBatchSize: 3 });
    const state = await adapter.readState();
    const members = ids.map((id) => ({ email: userOf(state, state.users.find((u) => u.id === id)!.email).email, sourceId: null, accountId: id, classification: 'claimed' as const }));
    const report = await applyOps(adapter, [op({ kind: 'addMembers', group: { id: group, externalId: 'g-big', name: 'Big' }, members })]);
    expect(report.results.map((r) => r.result)).toEqual(['applied']);
    expect(s.requests.filter((r) => r.method === 'PATCH' && r.path === `/scim/Groups/${group}`)).toHaveLength(3);
    expect((s.store.groups.get(group)!.members as Array<{ value: string }>).map((m) => m.value).sort()).toEqual([...ids].sort());
  });

  it('sends the version it read as If-Match, chains versions, and reports a 412 when the user changed meanwhile', async () => {
    const s = await server({ etags: true });
    const [alice, bob] = addUsers(s, ['alice@acme.com', 'bob@acme.com']) as [string, string];
    const adapter = scimAdapter(s, new MemoryStateStore());
    const claimed = { classification: 'claimed' as const, domain: 'acme.com' };
    const operations = [
      op({ kind: 'updateAccount', ...claimed, email: 'alice@acme.com', accountId: alice, before: { displayName: 'alice@acme.com' }, after: { displayName: 'Alice' } }),
      op({ kind: 'deactivateAccount', ...claimed, email: 'alice@acme.com', accountId: alice, before: { status: 'active' }, after: { status: 'deactivated' } }),
      op({ kind: 'deactivateAccount', ...claimed, email: 'bob@acme.com', accountId: bob, before: { status: 'active' }, after: { status: 'deactivated' } }),
    ];
    // Someone renames bob after the apply has read the state (while the first operation runs).
    const changeBob = () => s.store.put(s.store.users, { ...s.store.users.get(bob)!, displayName: 'Robert' });
    const report = await applyPlan(plan(operations), adapter, { journal: new MemoryJournal(), onResult: (r) => r.id === operations[0]!.id && changeBob() });
    expect(report.results.map((r) => r.result)).toEqual(['applied', 'applied', 'failed']);
    expect(report.results[2]!.message).toMatch(/SCIM Users\/user-\d+ changed on the server since it was read \(412 Precondition Failed\)/);
    expect(s.store.users.get(alice)).toMatchObject({ displayName: 'Alice', active: false });
    expect(s.store.users.get(bob)).toMatchObject({ displayName: 'Robert', active: true });
    const patches = s.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith('/scim/Users/'));
    expect(patches.map((r) => `${r.path.endsWith(alice) ? 'alice' : 'bob'} ${r.ifMatch} ${r.status}`).sort()).toEqual(['alice W/"1" 200', 'alice W/"2" 200', 'bob W/"1" 412']);
  });

  it('links a group that already exists when asked to create it, without taking ownership', async () => {
    const s = await server();
    const existing = addGroup(s, 'Staff');
    const store = new MemoryStateStore();
    const report = await applyOps(scimAdapter(s, store), [op({ kind: 'createGroup', group: { id: null, externalId: 'g-staff', name: 'Staff' }, after: { name: 'Staff', description: '' } })]);
    expect(report.results).toMatchObject([{ result: 'skipped', groupId: existing }]);
    const state = await scimAdapter(s, store).readState();
    expect(state.groups).toMatchObject([{ id: existing, externalId: 'g-staff', source: 'manual' }]);
    const deleted = await applyOps(scimAdapter(s, store), [op({ kind: 'deleteGroup', group: { id: existing, externalId: 'g-staff', name: 'Staff' } })]);
    expect(deleted.results[0]!.result).toBe('failed');
    expect(s.store.groups.has(existing)).toBe(true);
  });
});

describe('scim group create with a lost answer', () => {
  const engineering = { kind: 'createGroup' as const, group: { id: null, externalId: 'g-eng', name: 'Engineering' }, after: { name: 'Engineering', description: '' } };

  it('owns the group whose create answer was lost and whose retry answered 409, and can delete it', async () => {
    const s = await server();
    const store = new MemoryStateStore();
    s.loseNextAnswer('POST', /^\/scim\/Groups$/);
    const created = await applyOps(scimAdapter(s, store), [op(engineering)]);
    expect(s.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([500, 409]);
    const [id] = [...s.store.groups.keys()] as [string];
    expect(created.results).toMatchObject([{ groupId: id }]);
    expect((await scimAdapter(s, store).readState()).groups).toMatchObject([{ id, externalId: 'g-eng', source: 'sync' }]);
    const deleted = await applyOps(scimAdapter(s, store), [op({ kind: 'deleteGroup', group: { id, externalId: 'g-eng', name: 'Engineering' } })]);
    expect(deleted.results.map((r) => r.result)).toEqual(['applied']);
    expect(s.store.groups.size).toBe(0);
  });

  it('owns a group a previous run created without hearing back, at the next read', async () => {
    const s = await server();
    const store = new MemoryStateStore();
    s.loseNextAnswer('POST', /^\/scim\/Groups$/);
    const settings = scimSettings.parse({ baseUrl: s.url, token: s.token, domains: ['acme.com'], requestsPerSecond: 0 });
    const failed = await applyOps(new ScimOrgAdapter(settings, { state: store, retry: { retries: 0 } }), [op(engineering)]);
    expect(failed.results.map((r) => r.result)).toEqual(['failed']);
    const [id] = [...s.store.groups.keys()] as [string];
    expect((await scimAdapter(s, store).readState()).groups).toMatchObject([{ id, externalId: 'g-eng', source: 'sync' }]);
  });
});

describe('scim group relink', () => {
  it('moves a group to the recreated IdP group, keeping its members', async () => {
    const s = await server();
    const [alice] = addUsers(s, ['alice@acme.com']);
    const id = addGroup(s, 'Engineering', [alice!], 'g-old');
    const store = new MemoryStateStore();
    const report = await applyOps(scimAdapter(s, store), [
      op({ kind: 'updateGroup', group: { id, externalId: 'g-old', name: 'Engineering' }, before: { externalId: 'g-old' }, after: { externalId: 'g-new' } }),
    ]);
    expect(report.results.map((r) => r.result)).toEqual(['applied']);
    const state = await scimAdapter(s, store).readState();
    expect(state.groups.find((g) => g.id === id)).toMatchObject({ externalId: 'g-new', members: [alice] });
  });
});

describe('scim invitations through the webhook', () => {
  it('posts invitations, memberships and revocations, and reads them back from the ownership records', async () => {
    const s = await server();
    const hook = await webhook();
    const group = addGroup(s, 'Partners', [], 'g-partners');
    const store = new MemoryStateStore();
    const adapter = () => scimAdapter(s, store, { inviteWebhook: hook.url, inviteWebhookToken: 'hook-secret' });
    const external = { classification: 'external' as const, domain: 'partner.io' };
    await applyOps(adapter(), [
      op({ kind: 'createGroup', group: { id: null, externalId: 'g-own', name: 'Own' }, after: { name: 'Own', description: 'made here' } }),
      op({ kind: 'inviteUser', ...external, email: 'gina@partner.io', sourceId: 'u-gina', after: { email: 'gina@partner.io', displayName: 'Gina Roy', groups: ['Partners'], roles: ['viewer'], notify: true } }),
      op({ kind: 'addMembers', group: { id: group, externalId: 'g-partners', name: 'Partners' }, members: [{ email: 'gina@partner.io', sourceId: 'u-gina', accountId: null, classification: 'external' }] }),
      op({ kind: 'addMembers', group: { id: null, externalId: 'g-own', name: 'Own' }, members: [{ email: 'gina@partner.io', sourceId: 'u-gina', accountId: null, classification: 'external' }] }),
    ]);
    expect(hook.events[0]).toMatchObject({ type: 'invite', email: 'gina@partner.io' });
    expect(hook.events.slice(1).map((e) => `${e.type} ${e.email} ${e.group}`).sort()).toEqual(['add-member gina@partner.io Own', 'add-member gina@partner.io Partners']);
    expect(hook.events[0]).toMatchObject({ sourceId: 'u-gina', displayName: 'Gina Roy', groups: ['Partners'], roles: ['viewer'], notify: true, authorization: 'Bearer hook-secret' });
    const read = await adapter().readState();
    const gina = userOf(read, 'gina@partner.io');
    expect(gina).toMatchObject({ externalId: 'u-gina', managed: false, status: 'invited', source: 'sync' });
    expect(read.groups.find((g) => g.id === group)!.members).toEqual([gina.id]);
    expect(read.groups.find((g) => g.name === 'Own')).toMatchObject({ description: 'made here', source: 'sync', externalId: 'g-own' });

    const revoked = await applyOps(adapter(), [op({ kind: 'revokeAccess', ...external, email: gina.email, sourceId: 'u-gina', accountId: gina.id, before: { status: 'invited' }, after: { status: 'suspended' } })]);
    expect(revoked.results.map((r) => r.result)).toEqual(['applied']);
    expect(hook.events.slice(3).map((e) => [e.type, e.group ?? null])).toEqual([
      ['remove-member', 'Own'],
      ['revoke', null],
    ]);
    const after = await adapter().readState();
    expect(userOf(after, 'gina@partner.io').status).toBe('suspended');
    expect(after.groups.find((g) => g.name === 'Own')!.members).toEqual([]);
    expect(after.groups.find((g) => g.id === group)!.members).toEqual([gina.id]);
  });
});
