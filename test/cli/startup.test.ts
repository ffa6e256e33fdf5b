/**
 * Start-up loads only what a command uses: the built CLI is run with a module hook that lists
 * every module it resolves, and no connector SDK or adapter module may appear unless a profile
 * uses it. (Speed itself is measured by `bench/startup/run.ts`, never asserted here.)
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

const exec = promisify(execFile);

const HOOKS = `data:text/javascript,${encodeURIComponent(
  'export async function resolve(specifier, context, next) { const found = await next(specifier, context); process.stderr.write("loaded " + found.url + "\\n"); return found; }',
)}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(HOOKS)});`)}`;

/** The URLs of the modules the built CLI resolves for `args`. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const { stderr } = await exec(process.execPath, ['--import', REGISTER, join(REPO, 'bin', 'orgsync.js'), ...args], { cwd: REPO, env: { ...process.env, ORGSYNC_CONFIG: '' } });
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('loaded '))
    .map((line) => line.slice('loaded '.length));
}

const SDKS = ['@okta/', '@azure/', '@microsoft/', 'bullmq', 'ioredis', 'fastify'];
/** Folders of connectors and adapters; their light `settings.js` (validated at config load) may load. */
const ADAPTERS = ['/connectors/entra/', '/connectors/okta/', '/src/org/atlassian/', '/src/org/scim/'];

function heavy(urls: string[]): string[] {
  const adapterModule = (url: string) => ADAPTERS.some((path) => url.includes(`/dist${path}`)) && !url.endsWith('/settings.js');
  return urls.filter((url) => SDKS.some((name) => url.includes(`/node_modules/${name}`)) || adapterModule(url));
}

describe('start-up', () => {
  it('orgsync --help loads the dispatcher and no verb', async () => {
    const urls = await modulesLoadedBy(['--help']);
    expect(urls.some((url) => url.endsWith('/dist/src/cli/main.js'))).toBe(true);
    expect(urls.filter((url) => url.includes('/dist/src/cli/') && !/\/(main|io)\.js$/.test(url))).toEqual([]);
    expect(heavy(urls)).toEqual([]);
  });

  it('a verb loads no connector SDK or adapter module its profile does not use', async () => {
    for (const args of [['plan', '--help'], ['sync', '--help'], ['sync', '--config', 'examples/orgsync.yaml']]) {
      const urls = await modulesLoadedBy(args);
      expect(urls.some((url) => url.includes('/dist/src/cli/')), args.join(' ')).toBe(true);
      expect(heavy(urls), args.join(' ')).toEqual([]);
    }
  });

  it('the example sync loads the file source and the file org it uses', async () => {
    const urls = await modulesLoadedBy(['sync', '--config', 'examples/orgsync.yaml']);
    expect(urls.some((url) => url.endsWith('/dist/connectors/file/index.js'))).toBe(true);
    expect(urls.some((url) => url.endsWith('/dist/src/org/file/index.js'))).toBe(true);
  });
});
