/**
 * The console in headless Chromium (Debian's `chromium`, driven by playwright-core) against a
 * real worker in this process, with the file source and org from a temp copy of `examples/`:
 * sign in, ask for a run, open the fresh plan, filter it to external users, approve it, and see
 * the worker apply it. Screenshots go to `test-output/`; with ORGSYNC_UPDATE_DOCS=1 the last one
 * is also copied to `docs/console-plan.png` (the README's). Skipped, with the reason printed, only
 * when no Chromium is installed.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startConsole } from '../../src/console/start.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import type { OrgState } from '../../src/model/org.js';
import { openControl } from '../../src/queue/control.js';
import { startWorker } from '../../src/queue/worker.js';
import { REDIS_URL, ROOT, randomPrefix, removePrefix, tempDir, waitFor } from '../fixtures/worker/harness.js';

const CHROMIUM = process.env.ORGSYNC_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TOKEN = 'browser-test-token-5c1e9a';
const OUTPUT = join(ROOT, 'test-output');
const available = existsSync(CHROMIUM);
if (!available) console.log(`console browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set ORGSYNC_CHROMIUM)`);

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch((error: unknown) => console.log(`cleanup: ${String(error)}`));
});

async function exampleSetup() {
  const { dir, remove } = await tempDir();
  cleanups.push(remove);
  for (const file of ['directory.json', 'org.json', 'policy.yaml']) await copyFile(join(ROOT, 'examples', file), join(dir, file));
  const prefix = randomPrefix();
  const redis = new Redis(REDIS_URL);
  cleanups.push(() => redis.quit(), () => removePrefix(redis, prefix));
  const path = join(dir, 'orgsync.yaml');
  await writeFile(
    path,
    stringify({
      redis: { url: REDIS_URL, prefix },
      console: { host: '127.0.0.1', port: 0, token: TOKEN },
      worker: { metricsPort: 0, lockDuration: '5s', retryBackoff: '200ms' },
      profiles: [{ name: 'example', source: { kind: 'file', path: 'directory.json' }, org: { kind: 'file', path: 'org.json' }, policyFile: 'policy.yaml', mode: 'review' }],
    }),
  );
  return { dir, config: await loadConfig(path, {}) };
}

async function shoot(page: Page, name: string): Promise<string> {
  await mkdir(OUTPUT, { recursive: true });
  const path = join(OUTPUT, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

describe('operator console in a browser', () => {
  it.skipIf(!available)('reviews a fresh plan, filters it to external users, approves it and watches it applied', { timeout: 120_000 }, async () => {
    const { dir, config } = await exampleSetup();
    const worker = await startWorker(config, { env: {}, log: silentLogger() });
    cleanups.push(() => worker.close());
    const consoleApp = await startConsole(config, { env: {}, log: silentLogger() });
    cleanups.push(() => consoleApp.close());
    const control = await openControl(config, {});
    cleanups.push(() => control.close());
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(consoleApp.url);
    await page.getByLabel('Your name').fill('alice');
    await page.getByLabel('Console token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const card = page.locator('section.profile[data-profile="example"]');
    await card.getByLabel('full read').check();
    await card.getByRole('button', { name: 'Resync' }).click();
    await expect.poll(() => card.locator('[data-resync-status]').textContent()).toMatch(/Run queued \(job \S+\)/);

    const planned = await waitFor('a plan of the example profile', async () => (await control.plans.list({ profile: 'example', status: 'planned' }))[0]);
    await page.reload();
    await card.getByRole('link', { name: planned.id }).first().click();
    await page.waitForURL(`**/plans/${planned.id}`);
    expect(await page.locator('[data-plan-status] .badge').textContent()).toBe('planned');
    expect(await page.locator('#history').textContent()).toMatch(/alice asked for a full run/);
    const allRows = await page.locator('tr[data-op]').count();
    expect(allRows).toBe(planned.operations);
    await shoot(page, 'console-plan-review.png');

    await page.getByLabel('Users').selectOption('external');
    await page.waitForURL(/classification=external/);
    const rows = page.locator('tr[data-op]');
    const shown = await rows.count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(allRows);
    for (let i = 0; i < shown; i++) await expect.poll(() => rows.nth(i).locator('.class-external').count()).toBeGreaterThan(0);
    expect(await page.locator('tr[data-op][data-classification="claimed"]').count()).toBe(0);
    const invited = await page.locator('tr[data-kind="inviteUser"] td.subject').allTextContents();
    expect(invited.length).toBeGreaterThan(0);

    await page.getByLabel(/Comment/).fill('externals checked against the partner list');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Approve and apply' }).click();
    await page.locator('[data-plan-status] .badge[data-status="applied"]').waitFor({ timeout: 60_000 });
    await page.locator('#progress [data-progress-done]').filter({ hasText: String(planned.operations) }).waitFor();

    expect(await page.locator('#decision').textContent()).toMatch(/Approved by alice/);
    expect(await page.locator('#decision blockquote').textContent()).toBe('externals checked against the partner list');
    const results = await page.locator('tr[data-op] td.result .badge').allTextContents();
    expect(results).toHaveLength(shown);
    expect(results.every((r) => r === 'applied' || r === 'skipped')).toBe(true);
    const org = JSON.parse(await readFile(join(dir, 'org.json'), 'utf8')) as OrgState;
    const orgEmails = new Set(org.users.map((u) => u.email.toLowerCase()));
    for (const email of invited) expect(orgEmails.has(email.replace(/\s*external$/, '').trim().toLowerCase()), email).toBe(true);
    expect((await control.plans.get(planned.id))?.approval?.by).toBe('alice');
    expect(pageErrors).toEqual([]);

    // Bull Board works air-gapped: every request the page makes stays on the console's origin.
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${consoleApp.url}/queues`);
    await page.getByText('orgsync runs').first().waitFor({ timeout: 30_000 });
    expect(requested.length).toBeGreaterThan(1);
    expect(requested.filter((url) => !url.startsWith(`${consoleApp.url}/`))).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.goBack();

    const final = await shoot(page, 'console-plan.png');
    if (process.env.ORGSYNC_UPDATE_DOCS === '1') {
      await mkdir(join(ROOT, 'docs'), { recursive: true });
      await copyFile(final, join(ROOT, 'docs', 'console-plan.png'));
    }
  });
});
