/**
 * Credentials never travel in URL settings, and configured secrets never leave the process in an
 * error a server echoes back or in a log line (issue 11, item 5; item 13 for the SCIM base URL).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { validate } from '../../../src/config/validate.js';
import { HttpClient } from '../../../src/http/client.js';
import { serverMessage } from '../../../src/http/classify.js';
import { createLogger } from '../../../src/log.js';
import { scimSettings } from '../../../src/org/scim/settings.js';
import { run } from '../../cli/helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orgsync-secrets-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function config(name: string, source: string, org = '{ kind: file, path: org.json }', extra = ''): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${extra}profiles:\n  - name: p\n    source: ${source}\n    org: ${org}\n`);
  return path;
}

describe('URL settings with credentials are refused at config load', () => {
  it.each([
    ['okta orgUrl', '{ kind: okta, orgUrl: "https://admin:hunter2x@acme.okta.com", token: tok-123456 }', 'profiles[0].source.orgUrl'],
    ['entra graphBaseUrl', '{ kind: entra, tenantId: t, accessToken: tok-123456, graphBaseUrl: "https://u:hunter2x@graph.example/v1.0" }', 'profiles[0].source.graphBaseUrl'],
    ['entra authorityHost', '{ kind: entra, tenantId: t, clientId: c, clientSecret: sec-123456, authorityHost: "https://u:hunter2x@login.example" }', 'profiles[0].source.authorityHost'],
  ])('%s', async (_, source, key) => {
    const path = await config(`creds-${key.replace(/\W/g, '')}.yaml`, source);
    await expect(loadConfig(path, {})).rejects.toThrow(`${path}: ${key}: must not carry a user name or password`);
    const result = await run(['snapshot', 'source', '--config', path], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${key}: must not carry a user name or password`);
    expect(result.stderr).not.toContain('hunter2x');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('SCIM baseUrl and inviteWebhook', () => {
    const parse = (value: object) => () => validate(scimSettings, { token: 'tok-123456', ...value }, 'c.yaml', 'profiles[0].org');
    expect(parse({ baseUrl: 'https://u:hunter2x@scim.example/scim/v2' })).toThrow('profiles[0].org.baseUrl: must not carry a user name or password');
    expect(parse({ baseUrl: 'https://scim.example/v2', inviteWebhook: 'https://u:pw@hooks.example/x' })).toThrow('profiles[0].org.inviteWebhook: must not carry a user name or password');
  });
});

describe('SCIM baseUrl keeps its path and refuses a query string', () => {
  const parse = (baseUrl: string) => validate(scimSettings, { baseUrl, token: 'tok-123456' }, 'c.yaml', 'profiles[0].org');

  it('refuses a query string or fragment, naming the key', () => {
    expect(() => parse('https://scim.example/tenant/scim/v2?api=1')).toThrow('c.yaml: profiles[0].org.baseUrl: must not carry a query string');
    expect(() => parse('https://scim.example/scim/v2?')).toThrow('profiles[0].org.baseUrl: must not carry a query string');
    expect(() => parse('https://scim.example/scim/v2#x')).toThrow('profiles[0].org.baseUrl: must not carry a fragment');
  });

  it('sends requests under the whole path', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const settings = parse(`http://127.0.0.1:${port}/tenant-1/scim/v2/`);
      expect(settings.baseUrl).toBe(`http://127.0.0.1:${port}/tenant-1/scim/v2`);
      const client = new HttpClient({ baseUrl: settings.baseUrl, name: 'SCIM' });
      await client.request('GET', 'Users', { query: { count: 1 } });
      expect(seen).toEqual(['/tenant-1/scim/v2/Users?count=1']);
    } finally {
      server.close();
    }
  });
});

describe('configured secrets are redacted from server echoes and logs', () => {
  const SECRET = 'cfg-secret-9f8e7d6c';

  it('a server echoing the Authorization header and a configured secret in its error body', async () => {
    const path = await config('redact.yaml', `{ kind: okta, orgUrl: "https://acme.okta.com", token: "${SECRET}" }`);
    await loadConfig(path, {});
    const runtimeToken = 'runtime-bearer-abcdef123';
    const server = createServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `bad credentials: Authorization: ${req.headers.authorization}; also saw ${SECRET} and ${runtimeToken}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = new HttpClient({ baseUrl: `http://127.0.0.1:${port}/api`, name: 'Test', auth: () => ({ authorization: `Bearer ${runtimeToken}` }) });
      const failure = await client.request('GET', 'users').then(
        () => new Error('expected the request to fail'),
        (error: unknown) => error as Error,
      );
      expect(failure.message).toContain('answered 401: bad credentials: Authorization: [redacted]');
      expect(failure.message).not.toContain(SECRET);
      expect(failure.message).not.toContain(runtimeToken);
    } finally {
      server.close();
    }
    expect(serverMessage({ errorSummary: `token ${SECRET} rejected` })).toBe('token [redacted] rejected');
  });

  it('the log serializer redacts a configured secret wherever it appears, redis passwords included', async () => {
    const source = `{ kind: okta, orgUrl: "https://acme.okta.com", token: "${SECRET}" }`;
    const path = await config('redact-log.yaml', source, undefined, 'redis: { url: "redis://:redis-pass-5566@127.0.0.1:6379" }\n');
    await loadConfig(path, {});
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (line: string) => lines.push(line) } });
    log.error({ err: new Error(`upstream said ${SECRET}`), url: 'redis://:redis-pass-5566@127.0.0.1:6379' }, `echo ${SECRET} "quoted"`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[redacted]');
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).not.toContain('redis-pass-5566');
    expect(JSON.parse(lines[0]!).msg).toBe('echo [redacted] "quoted"');
  });
});
