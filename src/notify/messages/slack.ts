/**
 * A Slack incoming-webhook message: Block Kit blocks plus a top-level `text`, which Slack shows in
 * notifications and where blocks cannot be shown. Texts are cut to Block Kit's limits (header 150
 * characters, section text 3000, a field 2000, at most 10 fields) and `&`, `<`, `>` are escaped as
 * mrkdwn requires, so a long reason or a name with `<` never makes Slack refuse the message.
 */
import type { Description } from './describe.js';

const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_MAX = 10;

/** Cut to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function mrkdwn(text: string, max: number): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: clip(escape(text), max) };
}

export function slackMessage(d: Description): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(d.title, HEADER_MAX) } },
    { type: 'section', text: mrkdwn(d.text, SECTION_MAX) },
  ];
  if (d.facts.length > 0) {
    blocks.push({ type: 'section', fields: d.facts.slice(0, FIELDS_MAX).map(([label, value]) => mrkdwn(`*${label}*\n${value}`, FIELD_MAX)) });
  }
  if (d.people.length > 0) blocks.push({ type: 'section', text: mrkdwn(`*People*\n${d.people.join('\n')}`, SECTION_MAX) });
  if (d.link) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: d.link.label }, url: d.link.url }] });
  }
  return { text: clip(`${d.title}: ${d.text}`, SECTION_MAX), blocks };
}
