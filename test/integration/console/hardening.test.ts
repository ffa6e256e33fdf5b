/**
 * The console's answers at its edges (issue 11, item 7): Bull Board under /queues with the same
 * security headers as every page and no reference to another origin (the console works
 * air-gapped), and an over-long plan id answered in the console's error shape, not fastify's 414.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BEARER, setupConsole, type ConsoleSetup } from './helpers.js';

let s: ConsoleSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** Every URL an HTML page or a stylesheet would fetch from another origin. */
function remoteReferences(text: string): string[] {
  const attributes = [...text.matchAll(/\b(?:href|src|action)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi)].map((m) => m[1]!);
  const css = [...text.matchAll(/(?:url\(\s*["']?|@import\s+["'])((?:https?:)?\/\/[^"')\s]+)/gi)].map((m) => m[1]!);
  return [...attributes, ...css];
}

describe('Bull Board under /queues', () => {
  it('carries the same security headers as the other pages', async () => {
    s = await setupConsole();
    const plans = await s.app.inject({ method: 'GET', url: '/plans', headers: { ...BEARER, accept: 'text/html' } });
    const board = await s.app.inject({ method: 'GET', url: '/queues', headers: { ...BEARER, accept: 'text/html' } });
    expect(board.statusCode).toBe(200);
    for (const header of ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy']) {
      expect(board.headers[header], header).toBeDefined();
      expect(board.headers[header]).toBe(plans.headers[header]);
    }
    const api = await s.app.inject({ method: 'GET', url: '/queues/api/queues', headers: BEARER });
    expect(api.headers['x-frame-options']).toBe('DENY');
  });

  it('references nothing on another origin, in its page or its stylesheets', async () => {
    s = await setupConsole();
    const board = await s.app.inject({ method: 'GET', url: '/queues', headers: { ...BEARER, accept: 'text/html' } });
    expect(remoteReferences(board.body)).toEqual([]);
    const base = /<base href="([^"]+)"/.exec(board.body)?.[1] ?? '/queues/';
    const sheets = [...board.body.matchAll(/<link[^>]+href="([^"]+\.css)"/g)].map((m) => m[1]!);
    const scripts = [...board.body.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    expect(sheets.length).toBeGreaterThan(0);
    expect(scripts.length).toBeGreaterThan(0);
    for (const asset of [...sheets, ...scripts]) {
      const url = new URL(asset, `http://127.0.0.1${base}`).pathname;
      const answer = await s.app.inject({ method: 'GET', url, headers: BEARER });
      expect(answer.statusCode, url).toBe(200);
      if (asset.endsWith('.css')) expect(remoteReferences(answer.body), url).toEqual([]);
    }
  });
});

describe('a plan id over 100 characters', () => {
  it.each(['/api/plans/', '/plans/'])('%s answers the documented error shape', async (path) => {
    s = await setupConsole();
    const answer = await s.app.inject({ method: 'GET', url: `${path}${'p'.repeat(101)}`, headers: BEARER });
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json()).toEqual({ error: { code: 'not-found', message: expect.stringContaining('longer than 100 characters') } });
    expect(answer.headers['x-frame-options']).toBe('DENY');
    const short = await s.app.inject({ method: 'GET', url: `/api/plans/${'p'.repeat(100)}`, headers: BEARER });
    expect(short.json().error.code).toBe('not-found');
  });
});
