/**
 * The text of a provision-on-demand run: the steps read -> classify -> match -> actions, then the
 * person's plan in the usual text rendering. A lookup that found nobody, or several people, is one
 * line (`lookupLine`).
 */
import type { Plan } from '../../model/plan.js';
import type { ClassifyStep, MatchedAccount, ProvisionSteps } from '../../run/provision.js';
import { renderText } from './text.js';

const INDENT = '              ';

export function renderSteps(steps: ProvisionSteps, plan: Plan, options: { color: boolean }): string {
  const { read, classify, match } = steps;
  const who = `${read.user.id}${read.user.displayName ? ` ${read.user.displayName}` : ''} <${read.user.email ?? 'no address'}>`;
  const lines = [
    `1. Read      ${who}, ${read.user.active ? 'active' : 'disabled'}, from source ${read.source}${read.complete ? '' : ' (the read was incomplete: nothing is removed)'}`,
    `${INDENT}groups: ${read.groups.length > 0 ? read.groups.join(', ') : 'none'}`,
    `2. Classify  ${classifyLine(classify)}`,
    `3. Match     ${match.accounts.length > 0 ? match.accounts.map(accountLine).join(`\n${INDENT}`) : 'no org account is linked to this person or has this address'}`,
    `4. Actions   ${plan.operations.length === 0 ? 'nothing to do' : `${plan.operations.length} operation${plan.operations.length === 1 ? '' : 's'}`}`,
    '',
    '',
  ];
  return `${lines.join('\n')}${renderText(plan, options)}`;
}

function classifyLine(c: ClassifyStep): string {
  const scope = c.inScope ? 'in scope' : 'out of scope';
  if (c.address === null) return `the address cannot be used: ${c.problem ?? 'none'}; ${scope}`;
  const kind = c.classification === 'claimed' ? `claimed domain ${c.domain}: a managed account` : `unclaimed domain ${c.domain}${c.pendingClaim ? ` (claim ${c.pendingClaim})` : ''}: an external user, invite only`;
  return `${c.address} on ${kind}; ${scope}`;
}

function accountLine(a: MatchedAccount): string {
  const how = a.by === 'linked' ? 'linked to this person' : a.externalId === null ? 'same address, not linked' : `same address, linked to ${a.externalId}`;
  return `account ${a.id} ${a.email} (${a.managed ? 'managed' : 'external'}, ${a.status}): ${how}`;
}

/** One line for a key the source does not have, or has more than once. */
export function lookupLine(answer: { result: 'not-found' | 'duplicate'; key: string; source: string; ids?: string[] }): string {
  if (answer.result === 'not-found') return `no person "${answer.key}" in source ${answer.source} (looked up by source id, email and user name)`;
  return `"${answer.key}" names more than one person in source ${answer.source} (${(answer.ids ?? []).join(', ')}); nothing is planned for them`;
}
