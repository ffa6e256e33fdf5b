import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entraSourceFactory } from '../../../connectors/entra/index.js';
import { graphScope } from '../../../connectors/entra/auth.js';
import { relativeToBase } from '../../../connectors/entra/client.js';
import { loadConfig } from '../../../src/config/load.js';
import { validate } from '../../../src/config/validate.js';

const check = (value: unknown) => validate(entraSourceFactory.settings, value, 'orgsync.yaml', 'profiles[0].source');

describe('entra settings', () => {
  it('fills defaults and trims the base URL', () => {
    const settings = check({ tenantId: 'contoso', clientId: 'app', clientSecret: 's', graphBaseUrl: 'http://127.0.0.1:8080/v1.0/' });
    expect(settings).toMatchObject({ graphBaseUrl: 'http://127.0.0.1:8080/v1.0', concurrency: 16 });
    expect(check({ tenantId: 'contoso', accessToken: 't' }).graphBaseUrl).toBe('https://graph.microsoft.com/v1.0');
  });

  it.each([
    [{ tenantId: 'contoso', clientId: 'app' }, 'orgsync.yaml: profiles[0].source.clientSecret: clientSecret or certificatePath or accessToken is required'],
    [{ tenantId: 'contoso', clientSecret: 's' }, 'orgsync.yaml: profiles[0].source.clientId: clientId is required with clientSecret or certificatePath'],
    [{ tenantId: 'contoso', clientId: 'app', clientSecret: 's', accessToken: 't' }, 'profiles[0].source.accessToken: give only one of clientSecret, certificatePath, accessToken (found clientSecret and accessToken)'],
    [{ clientId: 'app', clientSecret: 's' }, 'profiles[0].source.tenantId:'],
    [{ tenantId: 'contoso', accessToken: 't', graphBaseUrl: 'graph.microsoft.com' }, 'profiles[0].source.graphBaseUrl: must be an http(s) URL such as https://graph.microsoft.com/v1.0'],
    [{ tenantId: 'contoso', accessToken: 't', graphBaseUrl: 'https://graph.microsoft.com/v1.0?x=1' }, 'profiles[0].source.graphBaseUrl: must not carry a query or fragment'],
    [{ tenantId: 'contoso', accessToken: 't', authorityHost: 'login' }, 'profiles[0].source.authorityHost: must be an http(s) URL'],
    [{ tenantId: 'contoso', accessToken: 't', concurrency: 0 }, 'profiles[0].source.concurrency:'],
    [{ tenantId: 'contoso', accessToken: 't', userFilter: '' }, 'profiles[0].source.userFilter: must not be empty'],
    [{ tenantId: 'contoso', accessToken: 't', secret: 'x' }, 'unknown key profiles[0].source.secret'],
  ])('rejects %j naming the key', (value, message) => {
    expect(() => check(value)).toThrow(message);
  });

  it('names the missing certificate file when the source is opened', () => {
    const settings = check({ tenantId: 'contoso', clientId: 'app', certificatePath: 'certs/none.pem' });
    expect(() => entraSourceFactory.create(settings, { baseDir: '/nowhere' })).toThrow('certificatePath: no such file: /nowhere/certs/none.pem');
  });

  it('is validated as part of the config file, with the file and key named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'entra-config-'));
    try {
      const path = join(dir, 'orgsync.yaml');
      await writeFile(path, 'profiles:\n  - name: acme\n    source: { kind: entra, tenantId: contoso, clientId: app }\n    org: { kind: file, path: org.json }\n');
      await expect(loadConfig(path, {})).rejects.toThrow(`${path}: profiles[0].source.clientSecret: clientSecret or certificatePath or accessToken is required`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('asks for the .default scope of the configured Graph host', () => {
    expect(graphScope('https://graph.microsoft.us/v1.0')).toBe('https://graph.microsoft.us/.default');
  });

  it('turns Graph links into paths under the base, and refuses links elsewhere', () => {
    const base = new URL('https://graph.microsoft.com/v1.0/');
    expect(relativeToBase(base, 'https://graph.microsoft.com/v1.0/users?$skiptoken=abc')).toBe('users?$skiptoken=abc');
    expect(relativeToBase(new URL('http://127.0.0.1:9/prefix/v1.0/'), 'http://127.0.0.1:9/prefix/v1.0/groups/delta?$deltatoken=x')).toBe('groups/delta?$deltatoken=x');
    expect(() => relativeToBase(base, 'https://evil.example/v1.0/users')).toThrow('Microsoft Graph returned a link outside https://graph.microsoft.com/v1.0/');
    expect(() => relativeToBase(base, 'https://graph.microsoft.com/beta/users')).toThrow(/outside/);
  });
});
