/**
 * The JSON rendering of a plan: the plan document itself (schema `orgsync.plan/v1`), indented.
 *
 * `JSON.stringify` already writes C0 controls as `\u00XX`; the C1 controls, bidi controls and
 * line/paragraph separators it leaves raw are written as `\uXXXX` too, so the document shown on a
 * terminal cannot be reordered or steered. The value read back is the same.
 */
import type { Plan } from '../../model/plan.js';

const RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2).replace(RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
