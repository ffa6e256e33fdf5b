/**
 * Settings of the generic SCIM org adapter (`kind: scim`), validated once at config load (strict:
 * an unknown key is an error naming it).
 *
 * `baseUrl` is the SCIM service root, path included (`https://host/scim/v2`): resources are joined
 * under that path. A query string or fragment is refused rather than dropped, and so is a user name
 * or password (the `token` setting authenticates). `inviteWebhook` is used as given (a query is
 * kept) but may not carry credentials either.
 */
import { z } from 'zod';
import { baseUrlSetting, urlCredentialsProblem } from '../../config/url.js';
import { normalizeDomain } from '../../reconcile/email.js';

const domain = z.string().transform((value, ctx) => {
  const normalized = normalizeDomain(value);
  if (normalized === null) ctx.addIssue({ code: 'custom', message: `"${value}" is not a domain name` });
  return normalized ?? value;
});

const webhookUrl = z
  .url({ protocol: /^https?$/ })
  .refine((value) => urlCredentialsProblem(new URL(value)) === undefined, 'must not carry a user name or password (use inviteWebhookToken)');

export const scimSettings = z
  .object({
    baseUrl: baseUrlSetting('https://scim.example.com/scim/v2'),
    token: z.string().min(1),
    domains: z.array(domain).default([]),
    memberBatchSize: z.number().int().min(1).max(1000).default(100),
    pageSize: z.number().int().min(1).max(1000).default(100),
    requestsPerSecond: z.number().nonnegative().default(10),
    inviteWebhook: webhookUrl.optional(),
    inviteWebhookToken: z.string().min(1).optional(),
  })
  .strict()
  .refine((s) => !(s.inviteWebhookToken && !s.inviteWebhook), { message: 'inviteWebhookToken needs inviteWebhook', path: ['inviteWebhookToken'] });

export type ScimSettings = z.output<typeof scimSettings>;
