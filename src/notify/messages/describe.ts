/**
 * An event in words, shared by every message format: a title, one sentence, labelled facts, the
 * people concerned (only when the event still carries them) and a link into the console when its
 * public URL is configured. Pure; each target kind lays this out its own way.
 */
import type { NotifyEvent, Person } from '../events.js';

export interface Description {
  title: string;
  text: string;
  facts: [label: string, value: string][];
  people: string[];
  link?: { url: string; label: string };
}

function counts(values: Record<string, number>): string {
  const parts = Object.entries(values)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function personLine(p: Person): string {
  return `${p.email} (${p.kind}${p.note ? `: ${p.note}` : ''})`;
}

function link(consoleUrl: string | undefined, path: string, label: string): Pick<Description, 'link'> {
  return consoleUrl ? { link: { url: `${consoleUrl}${path}`, label } } : {};
}

function planFacts(e: Extract<NotifyEvent, { planId: string; guards: unknown }>): [string, string][] {
  const guards = e.guards.map((g) => `${g.name} ${g.actual}/${g.limit}${g.passed ? '' : ' (over)'}`).join(', ');
  const warnings = e.warnings.map((w) => `${w.code} ×${w.count}`).join(', ');
  return [
    ['Plan', e.planId],
    ['Operations', String(e.operations)],
    ['Changes', counts(e.summary)],
    ['Guards', guards || 'none'],
    ['Warnings', warnings || 'none'],
  ];
}

function body(event: NotifyEvent, consoleUrl: string | undefined): Omit<Description, 'people'> {
  const p = event.profile;
  switch (event.type) {
    case 'plan.awaiting-approval':
      return { title: `Plan for ${p} awaits approval`, text: `A plan with ${event.operations} operations waits for an operator's approval.`, facts: planFacts(event), ...link(consoleUrl, `/plans/${event.planId}`, 'Review the plan') };
    case 'plan.blocked': {
      const over = event.guards.filter((g) => !g.passed).map((g) => g.name);
      const text = `A plan with ${event.operations} operations is blocked by ${over.join(', ') || 'its guards'}; it is applied only if someone approves it with a guard override.`;
      return { title: `Plan for ${p} is blocked by its guards`, text, facts: planFacts(event), ...link(consoleUrl, `/plans/${event.planId}`, 'Review the plan') };
    }
    case 'apply.finished':
      return {
        title: `Apply for ${p} finished with ${event.counts.failed} failed, ${event.counts.conflict} in conflict`,
        text: `The apply of plan ${event.planId} ended ${event.status}.`,
        facts: [['Plan', event.planId], ['Status', event.status], ['Results', counts(event.counts)]],
        ...link(consoleUrl, `/plans/${event.planId}`, 'See the results'),
      };
    case 'source.incomplete': {
      const sources = event.sources.map((s) => `${s.name} (${s.kind}): ${s.users} users, ${s.groups} groups read`).join('; ');
      return {
        title: `Source of ${p} incomplete ${event.runs} runs in a row`,
        text: `Every run since ${event.since} read an incomplete source, so nothing is deprovisioned until a complete read succeeds.`,
        facts: [['Runs in a row', String(event.runs)], ['Since', event.since], ['Sources', sources || 'unknown']],
        ...link(consoleUrl, '/', 'Open the console'),
      };
    }
    case 'run.failed':
      return {
        title: `${event.run === 'sync' ? 'Sync' : 'Apply'} run of ${p} failed`,
        text: `The run failed after ${event.attempts} attempt${event.attempts === 1 ? '' : 's'} and will not be tried again: ${event.reason}`,
        facts: [['Run', event.run], ['Attempts', String(event.attempts)], ...(event.planId ? [['Plan', event.planId] as [string, string]] : [])],
        ...link(consoleUrl, event.planId ? `/plans/${event.planId}` : '/', 'Open the console'),
      };
  }
}

export function describe(event: NotifyEvent, consoleUrl?: string): Description {
  return { ...body(event, consoleUrl), people: (event.people ?? []).map(personLine) };
}
