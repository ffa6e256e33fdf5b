import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/plan/render/text.js';
import { everyKind, plan, userOp } from './plans.js';

const ESC = '\x1b[';

describe('text rendering', () => {
  const text = renderText(plan(everyKind()), { color: false });
  const lines = text.split('\n');

  it('starts with the plan, profile, status and sources', () => {
    expect(lines[0]).toBe('orgsync plan p-0123456789abcdef0123  profile acme  status BLOCKED');
    expect(text).toContain('  source   acme (file): complete, 40 users, 6 groups');
  });

  it('has a legend of every symbol in use', () => {
    expect(text).toContain('Symbols: + create/add  ~ update  = link existing account  ^ reactivate  > invite  x revoke access  - deactivate/remove/delete');
  });

  it('prints one line per change with its symbol, subject and reason, grouped by kind in plan order', () => {
    const expected = [
      ['createGroup (1)', '+ Design', 'reason for createGroup'],
      ['linkAccount (1)', '= kim@acme.com', 'reason for linkAccount'],
      ['reactivateAccount (1)', '^ back@acme.com', 'reason for reactivateAccount'],
      ['inviteUser (1)', '> pat@partner.io', 'reason for inviteUser'],
      ['revokeAccess (1)', 'x gone@partner.io', 'reason for revokeAccess'],
      ['deactivateAccount (1)', '- left@acme.com', 'reason for deactivateAccount'],
      ['deleteGroup (1)', '- Legacy', 'reason for deleteGroup'],
    ];
    let previous = -1;
    for (const [heading, subject, reason] of expected) {
      const at = lines.indexOf(heading!);
      expect(at, heading).toBeGreaterThan(previous);
      expect(lines[at + 1]).toMatch(new RegExp(`^  ${subject!.replace(/[+^]/g, '\\$&')} +${reason}$`));
      previous = at;
    }
  });

  it('shows updates as before -> after and membership changes member by member', () => {
    expect(text).toContain('      title: "Engineer" -> "Senior Engineer"');
    expect(text).toContain('      name: "Infra" -> "Platform"');
    expect(text).toMatch(/ {2}\+ Design \(2 members\) +reason for addMembers\n {6}\+ new@acme\.com \(claimed\)\n {6}\+ ann@acme\.com \(claimed\)/);
    expect(text).toContain('      - old@acme.com (claimed)');
    expect(text).toContain('      adopts account a-17');
  });

  it('ends with the summary, guards (failed ones marked) and warnings', () => {
    expect(text).toContain('Summary: 12 operations: 1 createGroup, 1 updateGroup, 1 linkAccount, 1 createAccount');
    expect(text).toMatch(/ {2}passed {3}maxDeprovisions {8}2 of 50/);
    expect(text).toMatch(/ {2}BLOCKED {2}maxDeprovisionPercent {2}12\.5 of 10/);
    expect(text).toContain('Warnings (1):\n  unverified-domain  lee@acme-labs.com: acme-labs.com is claimed but not verified');
  });

  it('uses no escape codes without colour, and colours symbols, statuses and guards with it', () => {
    expect(text).not.toContain(ESC);
    const coloured = renderText(plan(everyKind(), { status: 'blocked' }), { color: true });
    expect(coloured).toContain(`${ESC}31mBLOCKED${ESC}39m`);
    expect(coloured).toContain(`${ESC}32m+ new@acme.com`);
    expect(coloured).toContain(`${ESC}31m- left@acme.com`);
    expect(coloured.replace(new RegExp(`${ESC.replace('[', '\\[')}\\d+m`, 'g'), '')).toBe(renderText(plan(everyKind(), { status: 'blocked' }), { color: false }));
  });

  it('says so when there is nothing to do', () => {
    const empty = renderText(plan([], { guards: [], warnings: [] }), { color: false });
    expect(empty).toContain('status EMPTY');
    expect(empty).toContain('No changes: the org already matches the directory.');
    expect(empty).not.toContain('Symbols:');
  });

  it('lists only the symbols a plan uses', () => {
    const one = renderText(plan([userOp('inviteUser', 'x@partner.io')]), { color: false });
    expect(one).toContain('Symbols: > invite\n');
  });
});
