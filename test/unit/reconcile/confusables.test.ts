/**
 * Look-alike local parts on a claimed domain (TR39 skeletons) and invisible characters: warned
 * as `confusable-address` naming both addresses, and held unless the policy allows them.
 */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import { invisibleCharacters, skeleton } from '../../../src/util/confusables.js';
import { managedUser, orgGroup, orgState, plan, policy, snapshot, sourceGroup, sourceUser, warningsOf } from '../../builders.js';

const CYRILLIC_A = '\u0430';
const ZWSP = '\u200b';

const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })], groups: [orgGroup('og-1', 'Staff', ['a-1'], { externalId: 'g-1' })] });
const alice = sourceUser('u-1', 'alice@acme.com');

function kinds(result: ReturnType<typeof plan>): string[] {
  return result.operations.map((op) => `${op.kind} ${op.email ?? op.group?.name}${op.members ? ` ${op.members.map((m) => m.email).join(',')}` : ''}`);
}

describe('skeletons', () => {
  it('maps look-alikes to one skeleton and keeps different letters apart', () => {
    expect(skeleton(`${CYRILLIC_A}lice`)).toBe(skeleton('alice'));
    expect(skeleton('rnary')).toBe(skeleton('mary'));
    expect(skeleton(`al${ZWSP}ice`)).toBe(skeleton('alice'));
    expect(skeleton('alice')).not.toBe(skeleton('alica'));
  });

  it('finds invisible characters', () => {
    expect(invisibleCharacters(`al${ZWSP}ice\u202e`)).toEqual(['U+200B', 'U+202E']);
    expect(invisibleCharacters('alice')).toEqual([]);
  });
});

describe('confusable-address', () => {
  it('a Cyrillic look-alike of an existing person is held, and the warning names both addresses', () => {
    const mallory = sourceUser('u-666', `${CYRILLIC_A}lice@acme.com`);
    const result = plan({ snapshot: snapshot({ users: [alice, mallory], groups: [sourceGroup('g-1', 'Staff', ['u-1', 'u-666'])] }), org });
    expect(kinds(result)).toEqual([]);
    const [warning] = warningsOf(result, 'confusable-address');
    expect(warning).toMatchObject({ subject: 'u-666' });
    expect(warning!.message).toBe(`${CYRILLIC_A}lice@acme.com (\\u{430}lice@acme.com) of directory user u-666 looks like alice@acme.com (alice@acme.com): nothing is planned for this user (policy addresses.allowConfusable is false)`);
  });

  it('an invisible character in the local part holds the user', () => {
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-2', `bob${ZWSP}@acme.com`)] }), org: orgState() });
    expect(kinds(result)).toEqual([]);
    expect(warningsOf(result, 'confusable-address')[0]!.message).toMatch(/^bob\u200b@acme\.com \(bob\\u\{200b\}@acme\.com\) of directory user u-2 hides invisible character U\+200B in its local part: nothing is planned/);
  });

  it('two new look-alikes are both held; nobody else is', () => {
    const users = [sourceUser('u-3', 'rnary@acme.com'), sourceUser('u-4', 'mary@acme.com'), sourceUser('u-5', 'carol@acme.com')];
    const result = plan({ snapshot: snapshot({ users }), org: orgState() });
    expect(kinds(result)).toEqual(['createAccount carol@acme.com']);
    expect(warningsOf(result, 'confusable-address').map((w) => w.subject)).toEqual(['u-3', 'u-4']);
  });

  it('with addresses.allowConfusable the user is provisioned, still with the warning', () => {
    const mallory = sourceUser('u-666', `${CYRILLIC_A}lice@acme.com`);
    const result = plan({ snapshot: snapshot({ users: [alice, mallory], groups: [sourceGroup('g-1', 'Staff', ['u-1', 'u-666'])] }), org, policy: policy({ addresses: { allowConfusable: true } }) });
    expect(kinds(result)).toEqual([`createAccount ${CYRILLIC_A}lice@acme.com`, `addMembers Staff ${CYRILLIC_A}lice@acme.com`]);
    expect(warningsOf(result, 'confusable-address')[0]!.message).toMatch(/it is provisioned anyway \(policy addresses\.allowConfusable is true\)$/);
  });

  it('external (unclaimed) addresses are not checked', () => {
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-7', 'rnary@partner.io'), sourceUser('u-8', 'mary@partner.io')] }), org: orgState() });
    expect(kinds(result)).toEqual(['inviteUser mary@partner.io', 'inviteUser rnary@partner.io']);
    expect(warningsOf(result, 'confusable-address')).toEqual([]);
  });

  it('the policy key is validated', () => {
    expect(() => parsePolicy({ addresses: { allowConfusable: 'yes' } }, 'policy.yaml')).toThrow(/policy\.yaml.*addresses\.allowConfusable/);
    expect(() => parsePolicy({ addresses: { allowLookalikes: true } }, 'policy.yaml')).toThrow(/policy\.yaml.*addresses/);
    expect(parsePolicy({}).addresses.allowConfusable).toBe(false);
  });
});
