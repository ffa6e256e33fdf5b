/**
 * The `notify:` block of the config: where the worker sends notifications and which events each
 * target wants. Validated with the rest of the config (every error names its key); `${VAR}` is
 * substituted before, so tokens, secrets and webhook URLs can come from the environment.
 *
 * Either a list of targets, or an object with `targets` and the settings below. Each target is a
 * `webhook` (JSON POST; optional `token`, sent as a bearer token, and `secret`, the key of an
 * HMAC-SHA256 signature header over the body), a `slack` incoming webhook (Block Kit message) or a
 * `teams` workflow webhook (Adaptive Card). A URL with `user:pass@` in it is refused, as every URL
 * setting is (`urlCredentialsProblem`).
 */
import { z } from 'zod';
import { urlCredentialsProblem } from '../config/url.js';

export const EVENT_TYPES = ['plan.awaiting-approval', 'plan.blocked', 'apply.finished', 'source.incomplete', 'run.failed'] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const TARGET_KINDS = ['webhook', 'slack', 'teams'] as const;

export type TargetKind = (typeof TARGET_KINDS)[number];

const webhookUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL')
  .refine((value) => !URL.canParse(value) || urlCredentialsProblem(new URL(value)) === undefined, 'must not carry a user name or password (use the token settings)');

/** The config's duration format (read with `durationMs`), longer than zero. */
const duration = z.string().regex(/^(?!0+(ms|s|m|h|d)$)\d+(ms|s|m|h|d)$/, 'expected a duration longer than zero, such as 30s, 15m or 2h');

const targetSchema = z
  .object({
    kind: z.enum(TARGET_KINDS),
    /** Names the target in logs, metrics and job ids; defaults to the kind. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'use letters, digits, ".", "_" and "-"')
      .optional(),
    url: webhookUrl,
    /** The events this target wants (default: all). */
    events: z.array(z.enum(EVENT_TYPES)).min(1, 'list at least one event, or leave events out for all').optional(),
    /** Send the addresses of the people concerned (at most a few), not only counts. */
    includeAddresses: z.boolean().default(false),
    /** `webhook` only: sent as `Authorization: Bearer <token>`. */
    token: z.string().min(1).optional(),
    /** `webhook` only: key of the `X-Orgsync-Signature: sha256=<hex>` HMAC over the body. */
    secret: z.string().min(8, 'use a secret of at least 8 characters').optional(),
  })
  .strict()
  .refine((t) => t.kind === 'webhook' || (t.token === undefined && t.secret === undefined), {
    message: 'token and secret only apply to kind webhook (a Slack or Teams webhook URL is itself the credential)',
  });

const notifyObject = z
  .object({
    /** Base URL of the console, for links to plan pages (e.g. https://orgsync.example.com). */
    consoleUrl: webhookUrl.transform((value) => value.replace(/\/+$/, '')).optional(),
    /** `source.incomplete` is sent when this many runs in a row read an incomplete source. */
    incompleteRuns: z.number().int().min(1).max(100).default(3),
    /** Tries of one notification before it is given up (and counted as failed). */
    attempts: z.number().int().min(1).max(20).default(6),
    /** First wait before a retry; doubles with each try. */
    backoff: duration.default('10s'),
    targets: z.array(targetSchema).default([]),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    for (const [i, target] of value.targets.entries()) {
      const name = target.name ?? target.kind;
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['targets', i, 'name'], message: `duplicate target name "${name}" (give each target its own name)` });
      seen.add(name);
    }
  });

/** A bare list is short for `{ targets: [...] }`. */
export const notifySchema = z.preprocess((value) => (Array.isArray(value) ? { targets: value } : value), notifyObject).prefault({});

export type NotifySettings = z.output<typeof notifySchema>;
export type NotifyTarget = NotifySettings['targets'][number];

export function targetName(target: Pick<NotifyTarget, 'kind' | 'name'>): string {
  return target.name ?? target.kind;
}

export function wants(target: Pick<NotifyTarget, 'events'>, type: EventType): boolean {
  return target.events === undefined || target.events.includes(type);
}
