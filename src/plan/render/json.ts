/** The JSON rendering of a plan: the plan document itself (schema `orgsync.plan/v1`), indented. */
import type { Plan } from '../../model/plan.js';

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
