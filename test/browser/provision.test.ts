/**
 * Provision one person from the console's profile page in headless Chromium (Debian's `chromium`,
 * driven by playwright-core), with the file source and org from a temp copy of `examples/`: sign
 * in, show the steps for an external person, apply them now, and see the org file and the profile's
 * recent actions change. Skipped, with the reason printed, only when no Chromium is installed.
 */
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startConsole } from '../../src/console/start.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import type { OrgState } from '../../src/model/org.js';
import { REDIS_URL, ROOT, randomPrefix, removePrefix, tempDir } from '../fixtures/worker/harness.js';

const CHROMIUM = process.env.ORGSYNC_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TOKEN = 'browser-provision-token-2d8f4b';
const available = existsSync(CHROMIUM);
if (!available) console.log(`console provision browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set ORGSYNC_CHROMIUM)`);

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch((error: unknown) => console.log(`cleanup: ${String(error)}`));
});

describe('provision one person in a browser', () => {
  it.skipIf(!available)('shows the steps for an external person and applies them now', { timeout: 120_000 }, async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    for (const file of ['directory.json', 'org.json', 'policy.yaml']) await copyFile(join(ROOT, 'examples', file), join(dir, file));
    const prefix = randomPrefix();
    const redis = new Redis(REDIS_URL);
    cleanups.push(() => redis.quit(), () => removePrefix(redis, prefix));
    const path = join(dir, 'orgsync.yaml');
    const profile = { name: 'example', source: { kind: 'file', path: 'directory.json' }, org: { kind: 'file', path: 'org.json' }, policyFile: 'policy.yaml', mode: 'review' };
    await writeFile(path, stringify({ redis: { url: REDIS_URL, prefix }, console: { host: '127.0.0.1', port: 0, token: TOKEN }, profiles: [profile] }));
    const consoleApp = await startConsole(await loadConfig(path, {}), { env: {}, log: silentLogger() });
    cleanups.push(() => consoleApp.close());
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(consoleApp.url);
    await page.getByLabel('Your name').fill('alice');
    await page.getByLabel('Console token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const card = page.locator('section.profile[data-profile="example"]');
    await card.getByLabel('Provision one person').fill('isla.murray@freelance-design.studio');
    await card.getByRole('button', { name: 'Show steps' }).click();
    const steps = card.locator('[data-provision-steps]');
    await expect.poll(() => steps.textContent()).toMatch(/^1\. Read {6}u-304 Isla Murray/);
    expect(await steps.textContent()).toContain('an external user, invite only');
    const before = await readFile(join(dir, 'org.json'), 'utf8');

    await card.getByRole('button', { name: 'Apply now' }).click();
    await expect.poll(() => card.locator('[data-provision-status]').textContent()).toBe('Applied: 5 applied, 0 failed, 0 conflicts');
    const org = JSON.parse(await readFile(join(dir, 'org.json'), 'utf8')) as OrgState;
    expect(org.users.find((u) => u.externalId === 'u-304')?.email).toBe('isla.murray@freelance-design.studio');
    expect(before).not.toContain('u-304');

    await page.reload();
    expect(await card.locator('details.actions').textContent()).toMatch(/alice provisioned directory user u-304 now/);
    await card.getByLabel('Provision one person').fill('nobody@acme.com');
    await card.getByRole('button', { name: 'Show steps' }).click();
    await expect.poll(() => card.locator('[data-provision-status]').textContent()).toMatch(/^no person "nobody@acme.com" in source file/);
    expect(pageErrors).toEqual([]);
  });
});
