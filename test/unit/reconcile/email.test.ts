import { describe, expect, it } from 'vitest';
import { domainClaims, isClaimed, normalizeDomain, normalizeEmail } from '../../../src/reconcile/email.js';
import { lines, managedUser, ofKind, orgState, plan, snapshot, sourceUser, verified, warningsOf } from '../../builders.js';

function address(raw: string | null): string | null {
  const result = normalizeEmail(raw);
  return result.ok ? result.address : null;
}

describe('normalizeEmail', () => {
  it('trims, lowercases the whole address and keeps the local part otherwise as it is', () => {
    expect(normalizeEmail('  Alice.Ng+Ops@ACME.COM ')).toEqual({ ok: true, address: 'alice.ng+ops@acme.com', local: 'alice.ng+ops', domain: 'acme.com' });
  });

  it('removes one trailing dot of the domain', () => {
    expect(address('u@acme.com.')).toBe('u@acme.com');
    expect(address('u@acme.com..')).toBeNull();
  });

  it('converts non-Latin domains to punycode, so a Cyrillic look-alike is a different domain', () => {
    const cyrillic = address('u@\u0430cme.com');
    expect(cyrillic).toBe('u@xn--cme-5cd.com');
    expect(address('u@bücher.de')).toBe('u@xn--bcher-kva.de');
  });

  it('reports a missing address', () => {
    for (const raw of [null, undefined, '', '   ']) {
      expect(normalizeEmail(raw)).toMatchObject({ ok: false, problem: 'missing-email' });
    }
  });

  it.each([
    ['attacker@evil.com@acme.com', 'exactly one "@"'],
    ['alice.acme.com', 'exactly one "@"'],
    ['@acme.com', 'before "@" is empty'],
    ['al ice@acme.com', 'spaces'],
    ['u@acme.com/evil', 'domain'],
    ['u@acme.com?x', 'domain'],
    ['u@acme.com:25', 'domain'],
    ['u@[127.0.0.1]', 'domain'],
    ['u@acme..com', 'domain'],
    ['u@', 'domain'],
    ['u@ex ample.com', 'domain'],
  ])('rejects %s', (raw, why) => {
    const result = normalizeEmail(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe('invalid-email');
      expect(result.message).toContain(why);
      expect(result.message).toContain(JSON.stringify(raw));
    }
  });
});

describe('domain claims', () => {
  it('claims only verified domains, normalized the same way as addresses', () => {
    const claims = domainClaims([
      { name: 'ACME.COM.', status: 'verified' },
      { name: 'acme.dev', status: 'unverified' },
      { name: 'old.example', status: 'deleted' },
    ]);
    expect([...claims.claimed]).toEqual(['acme.com']);
    expect([...claims.pending]).toEqual([
      ['acme.dev', 'unverified'],
      ['old.example', 'deleted'],
    ]);
    expect(isClaimed(claims, 'acme.com')).toBe(true);
    expect(isClaimed(claims, 'acme.dev')).toBe(false);
  });

  it('lets a verified claim win over another claim of the same domain', () => {
    const claims = domainClaims([
      { name: 'acme.com', status: 'unverified' },
      { name: 'acme.com', status: 'verified' },
    ]);
    expect(isClaimed(claims, 'acme.com')).toBe(true);
    expect(claims.pending.size).toBe(0);
  });

  it('normalizes domain names like addresses', () => {
    expect(normalizeDomain(' Acme.COM. ')).toBe('acme.com');
    expect(normalizeDomain('acme.com/x')).toBeNull();
    expect(normalizeDomain('')).toBeNull();
  });
});

describe('security pitfalls of trusting email domains (claimed domain acme.com)', () => {
  const kindFor = (email: string) => {
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', email)] }) });
    return result.operations.map((op) => [op.kind, op.classification, op.email]);
  };

  it.each(['u@evil-acme.com', 'u@notacme.com', 'u@acme.com.evil.io', 'u@sub.acme.com'])('%s is not claimed: invited as an external user', (email) => {
    expect(kindFor(email)).toEqual([['inviteUser', 'external', email]]);
  });

  it('u@аcme.com with a Cyrillic а becomes xn--… and is not claimed', () => {
    expect(kindFor('u@\u0430cme.com')).toEqual([['inviteUser', 'external', 'u@xn--cme-5cd.com']]);
  });

  it('u@acme.com. (trailing dot) is acme.com and claimed', () => {
    expect(kindFor('u@acme.com.')).toEqual([['createAccount', 'claimed', 'u@acme.com']]);
  });

  it('attacker@evil.com@acme.com is invalid, never managed', () => {
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'attacker@evil.com@acme.com')] }) });
    expect(result.operations).toEqual([]);
    expect(warningsOf(result, 'invalid-email')).toEqual([expect.objectContaining({ subject: 'u-1' })]);
  });

  it('Alice@ACME.COM is the same address as alice@acme.com: the existing account is adopted, not duplicated', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { source: 'manual' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'Alice@ACME.COM')] }), org });
    expect(lines(result)).toEqual(['linkAccount alice@acme.com']);
  });

  it('Alice@ACME.COM and alice@acme.com as two source users are a duplicate: neither gets an operation', () => {
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'Alice@ACME.COM'), sourceUser('u-2', 'alice@acme.com')] }) });
    expect(result.operations).toEqual([]);
    expect(warningsOf(result, 'duplicate-email')).toEqual([expect.objectContaining({ subject: 'alice@acme.com', message: expect.stringContaining('u-1, u-2') })]);
  });

  it('alice+ops@acme.com beside alice@acme.com: two addresses, two accounts, and a warning', () => {
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com'), sourceUser('u-2', 'alice+ops@acme.com')] }) });
    expect(ofKind(result, 'createAccount').map((op) => op.email)).toEqual(['alice+ops@acme.com', 'alice@acme.com']);
    expect(warningsOf(result, 'similar-address')).toEqual([expect.objectContaining({ subject: 'alice+ops@acme.com' })]);
  });

  it('a domain the org claims without verifying is external, with a warning', () => {
    const org = orgState({ domains: [...verified('acme.com'), { name: 'acme.dev', status: 'unverified' }] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'u@acme.dev')] }), org });
    expect(lines(result)).toEqual(['inviteUser u@acme.dev']);
    expect(warningsOf(result, 'unverified-domain')).toEqual([expect.objectContaining({ subject: 'acme.dev', message: expect.stringContaining('unverified') })]);
  });
});
