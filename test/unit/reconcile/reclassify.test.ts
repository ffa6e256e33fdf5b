import { describe, expect, it } from 'vitest';
import type { OrgState } from '../../../src/model/org.js';
import type { Snapshot } from '../../../src/model/directory.js';
import { applyPlan, externalUser, lines, managedUser, orgGroup, orgState, plan, policy, snapshot, sourceGroup, sourceUser, warningsOf } from '../../builders.js';

const loose = policy({ guards: { maxDeprovisionPercent: 100 } });

function step(snap: Snapshot, org: OrgState) {
  const result = plan({ snapshot: snap, org, policy: loose });
  const next = applyPlan(org, result.operations).state;
  const again = plan({ snapshot: snap, org: next, policy: loose });
  return { result, next, again };
}

describe('reclassification', () => {
  it('claimed -> unclaimed: the managed account is deactivated, the person invited at the new address', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })], groups: [orgGroup('og-1', 'Eng', ['a-1'], { externalId: 'g-1' })] });
    const snap = snapshot({ users: [sourceUser('u-1', 'alice@gmail.com')], groups: [sourceGroup('g-1', 'Eng', ['u-1'])] });
    const result = plan({ snapshot: snap, org, policy: loose });
    expect(lines(result)).toEqual(['inviteUser alice@gmail.com', 'addMembers Eng', 'removeMembers Eng', 'deactivateAccount alice@acme.com']);
    expect(result.operations[0]).toMatchObject({ classification: 'external', accountId: null });
    expect(result.operations[3]).toMatchObject({ classification: 'claimed', accountId: 'a-1', reason: expect.stringContaining('moved to alice@gmail.com, on unclaimed domain gmail.com') });
    expect(warningsOf(result, 'reclassified')).toEqual([expect.objectContaining({ subject: 'u-1', message: expect.stringContaining('the managed account alice@acme.com is deactivated') })]);
    expect(result.guards.find((g) => g.name === 'maxDeprovisions')?.actual).toBe(1);
  });

  it('unclaimed -> claimed: the external access is revoked and a managed account created', () => {
    const org = orgState({ users: [externalUser('x-1', 'alice@gmail.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com')] }), org, policy: loose });
    expect(lines(result)).toEqual(['createAccount alice@acme.com', 'revokeAccess alice@gmail.com']);
    expect(warningsOf(result, 'reclassified')).toEqual([expect.objectContaining({ subject: 'u-1', message: expect.stringContaining('the external access of alice@gmail.com is revoked') })]);
  });

  it('after a reclassification, a deactivated managed account and an external account linked to one id plan nothing', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1', status: 'deactivated' }), externalUser('x-1', 'alice@gmail.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@gmail.com')] }), org });
    expect(result.operations).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('acme.com -> gmail.com -> acme.com: one managed account, one external account, and every plan converges', () => {
    const groups = [sourceGroup('g-1', 'Eng', ['u-1'])];
    let org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })], groups: [orgGroup('og-1', 'Eng', ['a-1'], { externalId: 'g-1' })] });

    const away = step(snapshot({ users: [sourceUser('u-1', 'alice@gmail.com')], groups }), org);
    expect(away.again.operations).toEqual([]);
    org = away.next;
    const external = org.users.find((u) => u.email === 'alice@gmail.com');
    expect(external).toMatchObject({ externalId: 'u-1', managed: false, status: 'invited' });
    expect(org.groups[0].members).toEqual([external?.id]);

    const back = step(snapshot({ users: [sourceUser('u-1', 'alice@acme.com')], groups }), org);
    expect(lines(back.result)).toEqual(['reactivateAccount alice@acme.com', 'addMembers Eng', 'removeMembers Eng', 'revokeAccess alice@gmail.com']);
    expect(back.again.operations).toEqual([]);
    org = back.next;
    expect(org.users.map((u) => [u.id, u.email, u.status])).toEqual([
      ['a-1', 'alice@acme.com', 'active'],
      [external?.id, 'alice@gmail.com', 'suspended'],
    ]);
    expect(org.groups[0].members).toEqual(['a-1']);

    const awayAgain = step(snapshot({ users: [sourceUser('u-1', 'alice@gmail.com')], groups }), org);
    expect(lines(awayAgain.result)).toEqual(['inviteUser alice@gmail.com', 'addMembers Eng', 'removeMembers Eng', 'deactivateAccount alice@acme.com']);
    expect(awayAgain.result.operations[0]).toMatchObject({ accountId: external?.id, reason: expect.stringContaining('restored') });
    expect(awayAgain.again.operations).toEqual([]);
    expect(awayAgain.next.users).toHaveLength(2);
  });

  it('an incomplete read still warns about the move but deprovisions nothing', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@gmail.com')], complete: false }), org });
    expect(lines(result)).toEqual(['inviteUser alice@gmail.com']);
    expect(warningsOf(result, 'reclassified')[0].message).toContain('once a complete read confirms it');
  });
});
