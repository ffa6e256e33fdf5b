/**
 * Console credentials and sessions, without a server: token checks, config errors naming the
 * key, and signed session cookies that end with their lifetime or their token.
 */
import { describe, expect, it } from 'vitest';
import { Credentials } from '../../../src/console/auth/credentials.js';
import { issueSession, verifySession } from '../../../src/console/auth/session.js';
import { checkExposure, isLoopback } from '../../../src/console/start.js';
import { isOrgsyncError } from '../../../src/errors.js';

type ConsoleBlock = { host: string; port: number; token?: string; tokens: { name: string; token: string }[]; sessionHours: number };

function config(block: Partial<ConsoleBlock>) {
  return { path: 'orgsync.yaml', console: { host: '127.0.0.1', port: 8080, tokens: [], sessionHours: 12, ...block } };
}

function configErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isOrgsyncError(error) && error.code === 'config') return error.message;
    throw error;
  }
  throw new Error('expected a config error');
}

const A = 'first-token-0123456789';
const B = 'second-token-0123456789';

describe('console credentials', () => {
  it('knows each token by its name and nothing else', () => {
    const credentials = Credentials.fromConfig(config({ token: A, tokens: [{ name: 'ci', token: B }] }));
    expect(credentials.required).toBe(true);
    expect(credentials.match(A)).toBe('operator');
    expect(credentials.match(B)).toBe('ci');
    expect(credentials.match(`${A} `)).toBeNull();
    expect(credentials.match('')).toBeNull();
  });

  it('names the key of a short or empty token and of a name used twice', () => {
    expect(configErrorOf(() => Credentials.fromConfig(config({ token: 'short' })))).toBe('orgsync.yaml: console.token: a console token needs at least 16 characters');
    expect(configErrorOf(() => Credentials.fromConfig(config({ tokens: [{ name: 'ci', token: '' }] })))).toContain('console.tokens[0].token: a console token needs at least 16 characters (it is empty');
    expect(configErrorOf(() => Credentials.fromConfig(config({ token: A, tokens: [{ name: 'operator', token: B }] })))).toContain('console.tokens[0].token: the token name "operator" is used twice');
  });

  it('refuses to expose a console without a token beyond loopback', () => {
    expect(() => checkExposure(config({ host: '127.0.0.1' }))).not.toThrow();
    expect(() => checkExposure(config({ host: '0.0.0.0', token: A }))).not.toThrow();
    expect(configErrorOf(() => checkExposure(config({ host: '0.0.0.0' })))).toContain('console.host is 0.0.0.0, which is not a loopback address: set console.token');
    expect(['127.0.0.1', '127.10.0.1', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'].filter(isLoopback)).toHaveLength(6);
    expect(['0.0.0.0', '::', '10.0.0.1', 'console.internal', '128.0.0.1'].filter(isLoopback)).toEqual([]);
  });
});

describe('console sessions', () => {
  const credentials = Credentials.fromConfig(config({ token: A, tokens: [{ name: 'ci', token: B }] }));

  it('proves who signed in, with which token, until it expires', () => {
    const { cookie } = issueSession(credentials, 'ci', 'alice', 60_000, 1_000);
    const session = verifySession(credentials, cookie, 30_000);
    expect(session).toMatchObject({ name: 'alice', tokenName: 'ci', expiresAt: 61_000 });
    expect(session?.csrf).toMatch(/^[\w-]{20,}$/);
    expect(cookie).not.toContain(B);
    expect(verifySession(credentials, cookie, 61_000)).toBeNull();
  });

  it('ends when its token changes or is removed, and cannot be altered', () => {
    const { cookie } = issueSession(credentials, 'ci', 'alice', 60_000, 0);
    const rotated = Credentials.fromConfig(config({ token: A, tokens: [{ name: 'ci', token: `${B}-new` }] }));
    const removed = Credentials.fromConfig(config({ token: A }));
    expect(verifySession(rotated, cookie, 1)).toBeNull();
    expect(verifySession(removed, cookie, 1)).toBeNull();
    const [payload, signature] = cookie.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const moved = Buffer.from(JSON.stringify({ ...claims, t: 'operator' })).toString('base64url');
    expect(verifySession(credentials, `${moved}.${signature}`, 1)).toBeNull();
    expect(verifySession(credentials, `${payload}.${signature}.x`, 1)).toBeNull();
    expect(verifySession(credentials, 'garbage', 1)).toBeNull();
  });
});
