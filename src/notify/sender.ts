/**
 * Sends one message to one target with the house HTTP client: a JSON POST, a 10 s timeout, the
 * target's bearer token and HMAC signature for `webhook` targets, and failures classified once
 * (transient, throttled, permanent) so the notification queue knows what to try again. The client
 * itself does not retry: the queue does, with its own backoff, so the two never multiply.
 *
 * The URL's path is kept out of every message (a Slack or Teams webhook path is a credential).
 */
import { createHmac } from 'node:crypto';
import { HttpClient } from '../http/client.js';
import type { NotifyEvent } from './events.js';
import { targetName, type NotifyTarget } from './settings.js';

export const SIGNATURE_HEADER = 'x-orgsync-signature';

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the target's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface SendOptions {
  timeoutMs?: number;
}

export async function send(target: NotifyTarget, event: Pick<NotifyEvent, 'id' | 'type'>, message: Record<string, unknown>, options: SendOptions = {}): Promise<void> {
  const client = new HttpClient({
    baseUrl: target.url,
    name: `notification target ${targetName(target)}`,
    hidePath: true,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: { retries: 0 },
    ...(target.token ? { auth: () => ({ authorization: `Bearer ${target.token}` }) } : {}),
  });
  const headers: Record<string, string> = { 'x-orgsync-event': event.type, 'x-orgsync-delivery': event.id };
  // The client sends JSON.stringify(body); sign exactly those bytes.
  if (target.secret) headers[SIGNATURE_HEADER] = signature(target.secret, JSON.stringify(message));
  await client.request('POST', target.url, { body: message, headers });
}
