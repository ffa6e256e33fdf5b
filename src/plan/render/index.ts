/**
 * Plan renderings by name: `text` (Terraform-like, optionally coloured), `json` (the plan
 * document) and `markdown` (for tickets and chat). An unknown name is a usage error listing the
 * known ones.
 */
import { usageError } from '../../errors.js';
import type { Plan } from '../../model/plan.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export interface RenderOptions {
  /** ANSI colours in the text rendering. */
  color: boolean;
}

const RENDERERS = {
  text: (plan: Plan, options: RenderOptions) => renderText(plan, { color: options.color }),
  json: (plan: Plan) => renderJson(plan),
  markdown: (plan: Plan) => renderMarkdown(plan),
} satisfies Record<string, (plan: Plan, options: RenderOptions) => string>;

export type PlanFormat = keyof typeof RENDERERS;

export const PLAN_FORMATS = Object.keys(RENDERERS) as PlanFormat[];

export function isPlanFormat(name: string): name is PlanFormat {
  return Object.hasOwn(RENDERERS, name);
}

/** The format named `name`, or a usage error naming it and the known formats. */
export function planFormat(name: string): PlanFormat {
  if (!isPlanFormat(name)) throw usageError(`unknown format "${name}" (formats: ${PLAN_FORMATS.join(', ')})`);
  return name;
}

export function renderPlan(plan: Plan, format: PlanFormat, options: RenderOptions = { color: false }): string {
  return RENDERERS[format](plan, options);
}
