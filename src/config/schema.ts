/**
 * The config file (`orgsync.yaml`, DESIGN §5), before per-kind validation of `source` and `org`
 * blocks (done by each registered factory's own schema in `load.ts`).
 */
import { z } from 'zod';
import { notifySchema } from '../notify/settings.js';

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 30s, 15m, 2h or 1d')
  .refine((text) => !/^0+(ms|s|m|h|d)$/.test(text), 'a duration must be longer than zero');

const kindBlock = z.object({ kind: z.string().min(1) }).loose();

export const scheduleSchema = z
  .object({
    every: duration.optional(),
    pattern: z.string().min(1).optional(),
    tz: z.string().min(1).optional(),
    /** For incremental sources: force a full read at least this often. */
    fullEvery: duration.optional(),
  })
  .strict()
  .refine((s) => !(s.every && s.pattern), { message: 'give either every or pattern, not both' })
  .refine((s) => Boolean(s.every || s.pattern || s.fullEvery), { message: 'give every or pattern (or only fullEvery, for a profile run on demand)' })
  .refine((s) => !(s.tz && !s.pattern), { message: 'tz only applies to a cron pattern', path: ['tz'] });

export const profileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, ".", "_" and "-" (no spaces or colons)'),
    source: kindBlock,
    org: kindBlock,
    policy: z.unknown().optional(),
    policyFile: z.string().min(1).optional(),
    schedule: scheduleSchema.optional(),
    mode: z.enum(['review', 'auto']).default('review'),
    apply: z
      .object({
        /** Operations in flight at once while applying. */
        concurrency: z.number().int().min(1).max(64).default(4),
        /** Operations started per second against this org (0: unlimited). */
        operationsPerSecond: z.number().nonnegative().default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((p) => !(p.policy !== undefined && p.policyFile !== undefined), { message: 'give either policy or policyFile, not both' });

export const configSchema = z
  .object({
    redis: z
      .object({ url: z.string().min(1).default('redis://127.0.0.1:6379'), prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('orgsync') })
      .strict()
      .prefault({}),
    console: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Token of the operator named `operator`; `tokens` adds more, each with the name the audit records. */
        token: z.string().optional(),
        tokens: z
          .array(z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'use letters, digits, ".", "_", "@" and "-"'), token: z.string() }).strict())
          .default([]),
        /** Hours a sign-in through the login form lasts. */
        sessionHours: z.number().positive().max(720).default(12),
      })
      .strict()
      .prefault({}),
    worker: z
      .object({
        /**
         * Port of /metrics and /healthz (0: do not serve). Unset: 9464, or a free port (logged) when
         * 9464 is taken, e.g. by another worker on the host; a port set here that is taken is an error.
         */
        metricsPort: z.number().int().min(0).max(65535).optional(),
        /** Address /metrics and /healthz listen on. */
        metricsHost: z.string().min(1).default('127.0.0.1'),
        /** Plans kept per profile, newest first; older ones are deleted. */
        planRetention: z.number().int().min(1).default(50),
        /** Days after which an unapplied plan expires. */
        planTtlDays: z.number().positive().default(7),
        /** Jobs (runs of different profiles) one worker process handles at once. */
        concurrency: z.number().int().min(1).max(32).default(2),
        /** How long a job's and a profile's lock outlive a worker that stopped renewing them (a crash). */
        lockDuration: duration.default('30s'),
        /** Attempts of a run whose failure a later try may fix (source or org unreachable). */
        attempts: z.number().int().min(1).max(20).default(3),
        /** First wait before such a retry; doubles with each attempt. */
        retryBackoff: duration.default('30s'),
      })
      .strict()
      .prefault({}),
    profiles: z.array(profileSchema).min(1, 'at least one profile is needed'),
    /** Notification targets and the events they want (see `src/notify/settings.ts`). */
    notify: notifySchema,
  })
  .strict();

export type RawConfig = z.output<typeof configSchema>;
export type Schedule = z.output<typeof scheduleSchema>;

/** Parse a duration string (`30s`, `15m`, `2h`, `1d`, `500ms`) to milliseconds. */
export function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
