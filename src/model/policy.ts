/**
 * The policy of one profile (DESIGN §3): which source users are in scope, which groups are
 * mirrored, which attributes are managed, how to deprovision, what invitations grant, and the
 * guards. Every key is optional; `parsePolicy` fills the defaults and names any key that is wrong.
 */
import { z } from 'zod';

const names = z.array(z.string().min(1));

export const policySchema = z
  .object({
    scope: z
      .object({
        /** IdP group names; empty: every source user is in scope. */
        groups: names.default([]),
        /** Whether IdP users in a staged (created, never activated) state count as active. */
        stagedActive: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    groups: z
      .object({
        sync: z.union([z.enum(['all', 'none']), names]).default('all'),
        nested: z.enum(['flatten', 'direct']).default('flatten'),
        prefix: z.string().default(''),
      })
      .strict()
      .prefault({}),
    attributes: names.default(['displayName', 'givenName', 'familyName', 'title', 'department']),
    deprovision: z
      .object({
        managed: z.enum(['deactivate', 'none']).default('deactivate'),
        external: z.enum(['revoke', 'none']).default('revoke'),
        unmatchedManaged: z.enum(['ignore', 'deactivate']).default('ignore'),
      })
      .strict()
      .prefault({}),
    external: z
      .object({
        groups: names.default([]),
        roles: names.default([]),
        notify: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    addresses: z
      .object({
        /**
         * Whether a user whose address on a claimed domain looks like another address there
         * (Unicode TR39 confusables) or hides invisible characters in its local part is still
         * provisioned. Default false: such a user is held (warning `confusable-address`).
         */
        allowConfusable: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    guards: z
      .object({
        maxDeprovisions: z.number().int().nonnegative().default(50),
        maxDeprovisionPercent: z.number().nonnegative().max(100).default(10),
        maxGroupDeletions: z.number().int().nonnegative().default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
