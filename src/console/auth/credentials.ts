/**
 * The console's tokens: `console.token` (named `operator`) and `console.tokens[]` (each with a
 * name the audit records). Tokens are kept only as SHA-256 digests and compared with
 * `crypto.timingSafeEqual` against the digest of what a request presents, so neither the
 * comparison time nor a log line can reveal them.
 *
 * In: the config's `console` block. Out: `Credentials` (empty when no token is configured), or a
 * config error naming the key of a token that is too short or a name given twice.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config/load.js';
import { configError } from '../../errors.js';

export const DEFAULT_TOKEN_NAME = 'operator';
export const MIN_TOKEN_LENGTH = 16;

interface Entry {
  name: string;
  digest: Buffer;
  /** Key that signs this token's login sessions; changes when the token changes. */
  sessionKey: Buffer;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class Credentials {
  private constructor(private readonly entries: readonly Entry[]) {}

  static fromConfig(config: Pick<Config, 'console' | 'path'>): Credentials {
    const given: { name: string; token: string; key: string }[] = [];
    if (config.console.token !== undefined) given.push({ name: DEFAULT_TOKEN_NAME, token: config.console.token, key: 'console.token' });
    config.console.tokens.forEach((t, i) => given.push({ name: t.name, token: t.token, key: `console.tokens[${i}].token` }));
    const names = new Set<string>();
    for (const { name, token, key } of given) {
      if (token.length < MIN_TOKEN_LENGTH) {
        throw configError(`${config.path}: ${key}: a console token needs at least ${MIN_TOKEN_LENGTH} characters${token === '' ? ' (it is empty: is its environment variable set?)' : ''}`);
      }
      if (names.has(name)) throw configError(`${config.path}: ${key}: the token name "${name}" is used twice`);
      names.add(name);
    }
    return new Credentials(given.map(({ name, token }) => ({ name, digest: digest(token), sessionKey: digest(`orgsync console session\0${token}`) })));
  }

  static none(): Credentials {
    return new Credentials([]);
  }

  /** False when no token is configured (the console is then open, and only on loopback). */
  get required(): boolean {
    return this.entries.length > 0;
  }

  /** The name of the token presented, or null. Every entry is compared, so timing does not tell which matched. */
  match(presented: string): string | null {
    const candidate = digest(presented);
    let found: string | null = null;
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, candidate) && found === null) found = entry.name;
    return found;
  }

  /** The session-signing key of the named token, or null when no such token exists (any more). */
  sessionKey(name: string): Buffer | null {
    return this.entries.find((e) => e.name === name)?.sessionKey ?? null;
  }
}
