/** Settings of the `scim` org adapter, validated once at config load (light: zod only). */
import { z } from 'zod';
import { normalizeDomain } from '../../reconcile/email.js';

const domain = z.string().transform((value, ctx) => {
  const normalized = normalizeDomain(value);
  if (normalized === null) ctx.addIssue({ code: 'custom', message: `"${value}" is not a domain name` });
  return normalized ?? value;
});

export const scimSettings = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }),
    token: z.string().min(1),
    domains: z.array(domain).default([]),
    memberBatchSize: z.number().int().min(1).max(1000).default(100),
    pageSize: z.number().int().min(1).max(1000).default(100),
    requestsPerSecond: z.number().nonnegative().default(10),
    inviteWebhook: z.url({ protocol: /^https?$/ }).optional(),
    inviteWebhookToken: z.string().min(1).optional(),
  })
  .strict()
  .refine((s) => !(s.inviteWebhookToken && !s.inviteWebhook), { message: 'inviteWebhookToken needs inviteWebhook', path: ['inviteWebhookToken'] });

export type ScimSettings = z.output<typeof scimSettings>;
