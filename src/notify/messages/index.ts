/**
 * The body sent to one target for one event, by target kind. Pure: the event (already cut down to
 * what the target may see, `forTarget`) and the console URL in, a JSON-serializable body out.
 *
 * A `webhook` gets the event itself (schema `orgsync.notification/v1`) with a title, a sentence
 * and the console link, so a receiver can act on the fields and still show something readable.
 */
import type { NotifyEvent } from '../events.js';
import type { TargetKind } from '../settings.js';
import { describe } from './describe.js';
import { slackMessage } from './slack.js';
import { teamsMessage } from './teams.js';

export const NOTIFICATION_SCHEMA = 'orgsync.notification/v1';

export function webhookMessage(event: NotifyEvent, consoleUrl?: string): Record<string, unknown> {
  const d = describe(event, consoleUrl);
  return { schema: NOTIFICATION_SCHEMA, ...event, title: d.title, text: d.text, ...(d.link ? { link: d.link.url } : {}) };
}

export function messageFor(kind: TargetKind, event: NotifyEvent, consoleUrl?: string): Record<string, unknown> {
  switch (kind) {
    case 'webhook':
      return webhookMessage(event, consoleUrl);
    case 'slack':
      return slackMessage(describe(event, consoleUrl));
    case 'teams':
      return teamsMessage(describe(event, consoleUrl));
  }
}
