/**
 * A Microsoft Teams workflow-webhook message ("Send webhook alerts to a channel"): a `message`
 * whose one attachment is an Adaptive Card (version 1.4, which Teams renders on desktop and
 * mobile): the title, the sentence, a FactSet, the people when carried, and an `Action.OpenUrl`
 * into the console when its URL is configured. Workflows accept Adaptive Cards only.
 */
import type { Description } from './describe.js';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

function card(d: Description): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: d.title, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: d.text, wrap: true },
  ];
  if (d.facts.length > 0) body.push({ type: 'FactSet', facts: d.facts.map(([title, value]) => ({ title, value })) });
  if (d.people.length > 0) body.push({ type: 'TextBlock', text: d.people.map((p) => `- ${p}`).join('\n'), wrap: true });
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    ...(d.link ? { actions: [{ type: 'Action.OpenUrl', title: d.link.label, url: d.link.url }] } : {}),
  };
}

export function teamsMessage(d: Description): Record<string, unknown> {
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD, contentUrl: null, content: card(d) }] };
}
