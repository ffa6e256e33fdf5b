/**
 * The console on real Redis for `inject` tests: a config written to a temp directory (random key
 * prefix, two named tokens), a control facade, the fastify app with a log kept in memory, plan
 * builders with managed and external people, sign-in through the login form, and cleanup.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildConsole } from '../../../src/console/server.js';
import { loadConfig, type Config } from '../../../src/config/load.js';
import { PLAN_SCHEMA, type Operation, type Plan } from '../../../src/model/plan.js';
import { openControl, type Control } from '../../../src/queue/control.js';
import { REDIS_URL, memoryLogger, people, randomPrefix, removePrefix, tempDir, writeConfig, writeDirectory, writeOrg } from '../../fixtures/worker/harness.js';
import { handMadePlan } from '../../builders.js';

export const TOKEN = 'ops-token-4f9a1c2e7b3d';
export const AUDITOR_TOKEN = 'auditor-token-8e2b6d1f0a';
export const BEARER = { authorization: `Bearer ${TOKEN}` };
/** What `inject` sends as Host, so same-origin requests can name it. */
export const ORIGIN = 'http://localhost:80';

export interface ConsoleSetup {
  app: FastifyInstance;
  control: Control;
  config: Config;
  prefix: string;
  redis: Redis;
  clock: { now: Date };
  logText: () => string;
  close: () => Promise<void>;
}

export async function setupConsole(options: { tokens?: boolean; profiles?: string[] } = {}): Promise<ConsoleSetup> {
  const { dir, remove } = await tempDir();
  const prefix = randomPrefix();
  const directory = join(dir, 'directory.json');
  const org = join(dir, 'org.json');
  await writeDirectory(directory, people(2));
  await writeOrg(org);
  const consoleBlock = options.tokens === false ? { host: '127.0.0.1', port: 0 } : { host: '127.0.0.1', port: 0, token: TOKEN, tokens: [{ name: 'auditor', token: AUDITOR_TOKEN }] };
  const names = options.profiles ?? ['acme'];
  const path = await writeConfig(dir, { prefix, profiles: names.map((name) => ({ name, directory, org })), extra: { console: consoleBlock } });
  const config = await loadConfig(path, {});
  const control = await openControl(config, {});
  const { log, lines } = memoryLogger();
  const clock = { now: new Date() };
  const app = await buildConsole({ config, control, log, now: () => clock.now });
  const redis = new Redis(REDIS_URL);
  return {
    app,
    control,
    config,
    prefix,
    redis,
    clock,
    logText: () => JSON.stringify(lines()),
    close: async () => {
      await app.close();
      await control.close();
      await removePrefix(redis, prefix);
      await redis.quit();
      await remove();
    },
  };
}

function userOp(kind: Operation['kind'], email: string, classification: 'claimed' | 'external', extra: Partial<Operation> = {}): Operation {
  return {
    id: `op-${kind}-${email}`,
    kind,
    reason: `${email} needs ${kind}`,
    email,
    sourceId: `u-${email.split('@')[0]}`,
    accountId: null,
    group: null,
    members: null,
    classification,
    domain: email.split('@')[1]!,
    before: null,
    after: { email },
    ...extra,
  };
}

/** A plan with managed and external people, an update with before/after, and a warning. */
export function mixedPlan(options: { profile?: string; createdAt?: string; blocked?: boolean; id?: string } = {}): Plan {
  const createdAt = options.createdAt ?? new Date().toISOString();
  const operations: Operation[] = [
    userOp('createAccount', 'ann@acme.com', 'claimed'),
    userOp('updateAccount', 'bob@acme.com', 'claimed', { accountId: 'a-bob', before: { title: 'Engineer' }, after: { title: 'Staff Engineer' } }),
    userOp('inviteUser', 'carl@partner.io', 'external'),
    userOp('inviteUser', 'dora@vendor.example', 'external'),
    userOp('deactivateAccount', 'eve@acme.com', 'claimed', { accountId: 'a-eve', before: { status: 'active' }, after: { status: 'deactivated' } }),
  ];
  return handMadePlan({
    schema: PLAN_SCHEMA,
    id: options.id ?? `p-${Math.random().toString(36).slice(2, 12)}`,
    createdAt,
    status: options.blocked ? 'blocked' : 'ready',
    profile: options.profile ?? 'acme',
    fingerprints: { org: 'org-hash', policy: 'policy-hash' },
    sources: [{ name: options.profile ?? 'acme', kind: 'file', complete: true, users: 5, groups: 0 }],
    summary: { createAccount: 1, updateAccount: 1, inviteUser: 2, deactivateAccount: 1 },
    guards: [
      { name: 'maxDeprovisions', limit: options.blocked ? 0 : 50, actual: 1, passed: !options.blocked },
      { name: 'maxGroupDeletions', limit: 5, actual: 0, passed: true },
    ],
    warnings: [
      { code: 'unverified-domain', message: 'on a domain the org has not verified', subject: 'dora@vendor.example' },
      { code: 'unverified-domain', message: 'on a domain the org has not verified', subject: 'carl@partner.io' },
    ],
    operations,
  });
}

/** Sign in through the login form; returns the session cookie header and the page's CSRF token. */
export async function signIn(app: FastifyInstance, name = 'alice', token = TOKEN): Promise<{ cookie: string; csrf: string }> {
  const login = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    payload: new URLSearchParams({ name, token, next: '/' }).toString(),
  });
  if (login.statusCode !== 303) throw new Error(`sign-in failed: ${login.statusCode} ${login.body}`);
  const setCookie = String(login.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  const page = await app.inject({ method: 'GET', url: '/', headers: { cookie, accept: 'text/html' } });
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)?.[1];
  if (!csrf) throw new Error('no CSRF token on the page');
  return { cookie, csrf };
}
