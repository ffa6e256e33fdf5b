/**
 * Query parameters of the plan list (page and API): `profile`, `status` (a lifecycle status) and
 * `limit` (1 to 1000, default 50). A bad value is a 400 naming the parameter.
 */
import { isLifecycleStatus, LIFECYCLE_STATUSES, type LifecycleStatus } from '../store/lifecycle.js';
import { httpError } from './errors.js';

export interface ListParams {
  profile?: string;
  status?: LifecycleStatus;
  limit: number;
}

export const MAX_LIMIT = 1000;

export function parseListParams(query: Record<string, unknown>): ListParams {
  const profile = text(query.profile);
  const status = text(query.status);
  const limitText = text(query.limit);
  if (status !== undefined && !isLifecycleStatus(status)) throw httpError('bad-request', `status: unknown status "${status}" (${LIFECYCLE_STATUSES.join(', ')})`);
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw httpError('bad-request', `limit: expected a whole number from 1 to ${MAX_LIMIT}`);
  return { ...(profile ? { profile } : {}), ...(status ? { status: status as LifecycleStatus } : {}), limit };
}

function text(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}
