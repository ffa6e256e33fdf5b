/**
 * What the console's routes share: the config, the control facade (plan store, run store,
 * queue), the audit log, the credentials, the logger, the clock and the action counter.
 */
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { Config } from '../config/load.js';
import type { Control } from '../queue/control.js';
import type { AuditLog } from './audit.js';
import type { Credentials } from './auth/credentials.js';
import type { SessionStore } from './auth/sessions.js';
import type { Principal } from './auth/guard.js';
import { httpError } from './errors.js';

export interface ConsoleContext {
  config: Config;
  control: Omit<Control, 'close'>;
  audit: AuditLog;
  credentials: Credentials;
  sessions: SessionStore;
  log: Logger;
  now: () => Date;
  counter: Counter<'action' | 'outcome'>;
}

/** The principal of an authenticated route (set by the guard). */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw httpError('unauthorized', 'sign in, or send Authorization: Bearer <token>');
  return request.principal;
}
