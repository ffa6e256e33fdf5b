/**
 * Provisioning one person against the pure core: for every person of the example directory (and of
 * edge cases built here), the narrowed plan holds exactly the operations a full plan has for that
 * person, and nothing about anyone else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirectoryJson } from '../../../connectors/file/json.js';
import { loadPolicyFile } from '../../../src/config/policy.js';
import type { Snapshot } from '../../../src/model/directory.js';
import type { OrgState } from '../../../src/model/org.js';
import type { Operation } from '../../../src/model/plan.js';
import type { Policy } from '../../../src/model/policy.js';
import { parseOrgFile } from '../../../src/org/file/orgfile.js';
import { reconcile } from '../../../src/reconcile/index.js';
import { findPerson, narrowSnapshot, resultAbout } from '../../../src/run/person.js';
import { managedUser, orgState, policy, snapshot, sourceUser } from '../../builders.js';

const EXAMPLES = join(import.meta.dirname, '../../../examples');

/** One line per (operation, person) pair: member operations split per member. */
function linesAbout(operations: readonly Operation[], id: string): string[] {
  const lines: string[] = [];
  for (const op of operations) {
    if (op.members) {
      for (const m of op.members) if (m.sourceId === id) lines.push(`${op.kind} ${op.group?.externalId ?? op.group?.name} ${m.email} ${m.accountId}`);
    } else if (op.group === null && op.sourceId === id) {
      lines.push(op.id);
    }
  }
  return lines.sort();
}

function provisionResult(snap: Snapshot, org: OrgState, pol: Policy, key: string) {
  const found = findPerson(snap.users, key);
  if (found.kind !== 'found') throw new Error(`not found: ${key}`);
  const narrowed = narrowSnapshot(snap, found.user, org);
  return resultAbout(reconcile({ snapshot: narrowed, org, policy: pol }), narrowed, { org, policy: pol });
}

describe('provisioning one person plans what a full run plans for them', () => {
  it('for every person of the example directory', async () => {
    const snap = parseDirectoryJson(JSON.parse(readFileSync(join(EXAMPLES, 'directory.json'), 'utf8')), 'directory.json');
    const org = parseOrgFile(JSON.parse(readFileSync(join(EXAMPLES, 'org.json'), 'utf8')), 'org.json');
    const pol = await loadPolicyFile(join(EXAMPLES, 'policy.yaml'));
    const full = reconcile({ snapshot: snap, org, policy: pol });
    let compared = 0;
    for (const user of snap.users) {
      const mine = provisionResult(snap, org, pol, user.id);
      expect(linesAbout(mine.operations, user.id), user.id).toEqual(linesAbout(full.operations, user.id));
      const fullIds = new Set(full.operations.map((op) => op.id));
      for (const op of mine.operations) {
        if (op.kind === 'createGroup') expect(fullIds.has(op.id)).toBe(true);
        else expect(linesAbout([op], user.id).length, `${op.kind} of ${user.id} is about someone else`).toBeGreaterThan(0);
      }
      compared += mine.operations.length;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('holds a person whose old address another directory user now has, as a full run does', () => {
    const snap = snapshot({ users: [sourceUser('u-1', 'new@acme.com'), sourceUser('u-2', 'old@acme.com')] });
    const org = orgState({ users: [managedUser('a-1', 'old@acme.com', { externalId: 'u-1' })] });
    const full = reconcile({ snapshot: snap, org, policy: policy() });
    expect(linesAbout(full.operations, 'u-1')).toEqual([]);
    const mine = provisionResult(snap, org, policy(), 'u-1');
    expect(mine.operations).toEqual([]);
    expect(mine.warnings.map((w) => w.code)).toContain('ambiguous-match');
  });

  it('deprovisions no one else even though every other linked account looks gone', () => {
    const others = Array.from({ length: 40 }, (_, i) => managedUser(`a-${i}`, `p${i}@acme.com`, { externalId: `u-${i}` }));
    const snap = snapshot({ users: [sourceUser('u-new', 'new@acme.com'), ...others.map((a) => sourceUser(a.externalId as string, a.email))] });
    const org = orgState({ users: others });
    const mine = provisionResult(snap, org, policy(), 'new@acme.com');
    expect(mine.operations.map((op) => op.kind)).toEqual(['createAccount']);
    expect(mine.status).toBe('ready');
    expect(mine.guards.every((g) => g.passed)).toBe(true);
  });

  it('plans nothing that removes from an incomplete read, and says the read was incomplete', () => {
    const snap = snapshot({ users: [sourceUser('u-1', 'ann@acme.com', { active: false })], complete: false });
    const org = orgState({ users: [managedUser('a-1', 'ann@acme.com', { externalId: 'u-1' })] });
    const mine = provisionResult(snap, org, policy(), 'u-1');
    expect(mine.operations).toEqual([]);
    expect(mine.warnings.map((w) => w.code)).toContain('incomplete-source');
    const complete = provisionResult({ ...snap, complete: true }, org, policy(), 'u-1');
    expect(complete.operations.map((op) => `${op.kind} ${op.accountId}`)).toEqual(['deactivateAccount a-1']);
  });

  it('finds by id, address or user name, and reports not found and duplicates', () => {
    const users = [sourceUser('u-1', 'Ann@Acme.com', { userName: 'ann.login@acme.com' }), sourceUser('u-2', 'bo@acme.com'), sourceUser('u-3', 'BO@acme.com')];
    expect(findPerson(users, 'u-1')).toMatchObject({ kind: 'found', user: { id: 'u-1' } });
    expect(findPerson(users, ' ann@ACME.com ')).toMatchObject({ kind: 'found', user: { id: 'u-1' } });
    expect(findPerson(users, 'ann.login@acme.com')).toMatchObject({ kind: 'found', user: { id: 'u-1' } });
    expect(findPerson(users, 'u-9')).toEqual({ kind: 'not-found' });
    expect(findPerson(users, 'bo@acme.com')).toEqual({ kind: 'duplicate', ids: ['u-2', 'u-3'] });
    expect(findPerson(users, 'u-2')).toEqual({ kind: 'duplicate', ids: ['u-2', 'u-3'] });
  });
});
