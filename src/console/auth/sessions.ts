/**
 * The server-side record of console sessions, in Redis: one key per open session, holding who
 * signed in and with which token name (never a token), expiring with the session. Signing out
 * deletes the key, which ends the session for every copy of its cookie.
 *
 * In: a Redis connection and the key names. Out: open, check and revoke a session by its id.
 */
import type { Redis } from 'ioredis';
import type { Keys } from '../../store/keys.js';
import type { Session } from './session.js';

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** False while Redis is unreachable: sessions cannot be checked then (commands would wait for it). */
  get available(): boolean {
    return this.redis.status === 'ready';
  }

  /** Record a new session until it expires. */
  async open(session: Session, now: number): Promise<void> {
    const ttl = Math.max(1, session.expiresAt - now);
    await this.redis.set(this.keys.session(session.id), JSON.stringify({ name: session.name, tokenName: session.tokenName, expiresAt: session.expiresAt }), 'PX', ttl);
  }

  /** True while the session is on record (not signed out, not expired). */
  async isOpen(session: Session): Promise<boolean> {
    return (await this.redis.exists(this.keys.session(session.id))) === 1;
  }

  /** End a session: its cookie stops working at once. */
  async revoke(session: Session): Promise<void> {
    await this.redis.del(this.keys.session(session.id));
  }
}
