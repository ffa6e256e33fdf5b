/**
 * Login sessions as signed cookies: the cookie holds a random session id, who signed in (the login
 * name), with which token, until when, and a random CSRF nonce; it is signed with HMAC-SHA256
 * under a key derived from that token. The token itself never enters the cookie.
 *
 * A valid signature is necessary, not sufficient: the session must also still be on record
 * server-side (`SessionStore`, in Redis), which signing out deletes. So a session ends when it
 * expires, when its token is removed or changed, or when its holder signs out (the old cookie
 * stops working at once, wherever a copy of it is).
 *
 * In: the credentials, a login name and a clock. Out: a cookie value, or the session it proves.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Credentials } from './credentials.js';

export const SESSION_COOKIE = 'orgsync_session';

export interface Session {
  /** Random id; the server-side record is kept under it. */
  id: string;
  /** The login name, recorded with every decision. */
  name: string;
  /** The token that signed the session in. */
  tokenName: string;
  expiresAt: number;
  /** Sent back by the pages in `X-CSRF-Token` (or a `_csrf` form field) with every state-changing request. */
  csrf: string;
}

interface Payload {
  s: string;
  n: string;
  t: string;
  e: number;
  c: string;
}

function sign(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** A new session and its cookie value; the caller records the session (`SessionStore.open`). */
export function issueSession(credentials: Credentials, tokenName: string, name: string, lifetimeMs: number, now: number): { cookie: string; session: Session } {
  const key = credentials.sessionKey(tokenName);
  if (!key) throw new Error(`no token named ${tokenName}`);
  const payload: Payload = { s: randomBytes(24).toString('base64url'), n: name, t: tokenName, e: now + lifetimeMs, c: randomBytes(18).toString('base64url') };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { cookie: `${encoded}.${sign(key, encoded).toString('base64url')}`, session: sessionOf(payload) };
}

function sessionOf(payload: Payload): Session {
  return { id: payload.s, name: payload.n, tokenName: payload.t, expiresAt: payload.e, csrf: payload.c };
}

/** The session a cookie proves, or null when it is malformed, forged, expired or its token is gone. */
export function verifySession(credentials: Credentials, cookie: string, now: number): Session | null {
  const [encoded, signature, extra] = cookie.split('.');
  if (!encoded || !signature || extra !== undefined) return null;
  const payload = parse(encoded);
  if (!payload) return null;
  const key = credentials.sessionKey(payload.t);
  if (!key) return null;
  const expected = sign(key, encoded);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (payload.e <= now) return null;
  return sessionOf(payload);
}

function parse(encoded: string): Payload | null {
  try {
    const value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Partial<Payload>;
    const ok = typeof value.s === 'string' && typeof value.n === 'string' && typeof value.t === 'string' && typeof value.e === 'number' && typeof value.c === 'string';
    return ok ? (value as Payload) : null;
  } catch {
    return null;
  }
}

/** Constant-time equality of two strings (for CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
