/**
 * Email normalization and domain classification: the one implementation every part of orgsync uses
 * (connectors, org adapters and the reconcile core import it; nobody writes their own).
 *
 * In: an address as an IdP or the org spells it. Out: the normalized address, or why it is unusable.
 *
 * Rules (DESIGN §3):
 * - trim; exactly one `@`; a non-empty local part without whitespace or control characters;
 * - the domain goes through `node:url` `domainToASCII` (UTS-46: lowercase, punycode for non-Latin
 *   letters, so a Cyrillic look-alike becomes `xn--…`), then one trailing dot is removed; characters
 *   a URL parser would cut the domain at (`/ \ ? # : [ ] %`), empty labels and anything outside
 *   `[a-z0-9_-]` after conversion make the address invalid;
 * - the local part is lowercased, and nothing else is done to it (`alice+ops` stays distinct from
 *   `alice`; dots are kept).
 *
 * The normalized address is the whole address in lowercase: it is both the comparison key and the
 * address orgsync writes when it creates or invites an account. One spelling everywhere means
 * `Alice@ACME.COM` and `alice@acme.com` are the same person and never produce a duplicate or an
 * update that only changes letter case.
 *
 * A domain is claimed only by whole-domain equality with a `verified` org domain, normalized the
 * same way: `acme.com` does not claim `sub.acme.com`, `evil-acme.com` or `acme.com.evil.io`.
 */
import { domainToASCII } from 'node:url';
import type { OrgDomain } from '../model/org.js';

export type EmailProblem = 'missing-email' | 'invalid-email';

export type NormalizedEmail =
  | { ok: true; address: string; local: string; domain: string }
  | { ok: false; problem: EmailProblem; message: string };

// Characters that end the host part of a URL: domainToASCII would silently drop what follows them.
const CUT_CHARACTERS = /[/\\?#:[\]%@\s]/u;
const LOCAL_FORBIDDEN = /[\s\p{Cc}]/u;
const ASCII_LABEL = /^[a-z0-9_-]+$/;

/** Normalize a domain name; null when it is not a usable domain. */
export function normalizeDomain(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed === '' || CUT_CHARACTERS.test(trimmed)) return null;
  let ascii = domainToASCII(trimmed);
  if (ascii.endsWith('.')) ascii = ascii.slice(0, -1);
  if (ascii === '') return null;
  for (const label of ascii.split('.')) {
    if (!ASCII_LABEL.test(label)) return null;
  }
  return ascii;
}

/** Normalize an address (see the module doc for the rules). */
export function normalizeEmail(raw: string | null | undefined): NormalizedEmail {
  return new EmailNormalizer().normalize(raw);
}

/** The domain part of a normalized address. */
export function domainOf(address: string): string {
  return address.slice(address.indexOf('@') + 1);
}

/**
 * A normalizer that remembers the domains it has converted: one run meets the same few domains
 * millions of times. Create one per run; it holds no other state.
 */
export class EmailNormalizer {
  private readonly domains = new Map<string, string | null>();

  normalize(raw: string | null | undefined): NormalizedEmail {
    const result = this.parse(raw);
    if (typeof result !== 'string') return result;
    const at = result.indexOf('@');
    return { ok: true, address: result, local: result.slice(0, at), domain: result.slice(at + 1) };
  }

  /** The normalized address, or null when the address is missing or invalid. */
  address(raw: string | null | undefined): string | null {
    const result = this.parse(raw);
    return typeof result === 'string' ? result : null;
  }

  /** The normalized address, or why there is none. An address already in normal form is returned as is. */
  parse(raw: string | null | undefined): string | { ok: false; problem: EmailProblem; message: string } {
    if (raw == null) return MISSING;
    const trimmed = raw.trim();
    if (trimmed === '') return MISSING;
    const at = trimmed.indexOf('@');
    if (at < 0 || trimmed.indexOf('@', at + 1) >= 0) return invalid(raw, 'it must contain exactly one "@"');
    const localRaw = trimmed.slice(0, at);
    if (localRaw === '') return invalid(raw, 'the part before "@" is empty');
    if (LOCAL_FORBIDDEN.test(localRaw)) return invalid(raw, 'the part before "@" contains spaces or control characters');
    const domainRaw = trimmed.slice(at + 1);
    const domain = this.domain(domainRaw);
    if (domain === null) return invalid(raw, 'the domain is not a valid domain name');
    const local = localRaw.toLowerCase();
    return local === localRaw && domain === domainRaw ? trimmed : `${local}@${domain}`;
  }

  private domain(raw: string): string | null {
    let domain = this.domains.get(raw);
    if (domain === undefined) {
      domain = normalizeDomain(raw);
      this.domains.set(raw, domain);
    }
    return domain;
  }
}

const MISSING = { ok: false, problem: 'missing-email', message: 'has no email address' } as const;

function invalid(raw: string, why: string): { ok: false; problem: EmailProblem; message: string } {
  return { ok: false, problem: 'invalid-email', message: `has an invalid email address ${JSON.stringify(raw)}: ${why}` };
}

/** The org's domains sorted into claimed (verified) and pending (any other claim status), normalized. */
export interface DomainClaims {
  claimed: ReadonlySet<string>;
  /** Domains with a claim that is not verified, with its status. A verified claim wins over any other. */
  pending: ReadonlyMap<string, string>;
}

export function domainClaims(domains: readonly OrgDomain[]): DomainClaims {
  const claimed = new Set<string>();
  const pending = new Map<string, string>();
  for (const entry of domains) {
    const name = normalizeDomain(entry.name);
    if (name === null) continue;
    if (entry.status === 'verified') claimed.add(name);
  }
  for (const entry of domains) {
    const name = normalizeDomain(entry.name);
    if (name === null || entry.status === 'verified' || claimed.has(name)) continue;
    const seen = pending.get(name);
    if (seen === undefined || entry.status < seen) pending.set(name, entry.status);
  }
  return { claimed, pending };
}

/** Whether a normalized domain is claimed: exact equality with a verified domain, nothing else. */
export function isClaimed(claims: DomainClaims, domain: string): boolean {
  return claims.claimed.has(domain);
}
