/**
 * Settings of the `okta` source: defaults, normalisation, and one clear message naming the key
 * for every mistake, including the rules that span keys.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oktaSourceFactory } from '../../../connectors/okta/index.js';
import { resolveAuth } from '../../../connectors/okta/settings.js';
import { validate } from '../../../src/config/validate.js';
import { loadConfig } from '../../../src/config/load.js';

const parse = (value: unknown) => validate(oktaSourceFactory.settings, value, 'orgsync.yaml', 'profiles[0].source');
const problem = (value: unknown) => {
  try {
    parse(value);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a config error');
};

describe('okta source settings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'okta-settings-'));
    await writeFile(join(dir, 'not-a-key.txt'), 'hello');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('fills defaults and strips trailing slashes from orgUrl', () => {
    const settings = parse({ orgUrl: 'https://acme.okta.com//', token: 't' });
    expect(settings).toMatchObject({ orgUrl: 'https://acme.okta.com', concurrency: 4, pageSize: 200, groupPageSize: 200, groupTypes: ['OKTA_GROUP', 'APP_GROUP'] });
    expect(parse({ orgUrl: 'http://127.0.0.1:8080/', token: 't' }).orgUrl).toBe('http://127.0.0.1:8080');
  });

  it('takes scopes as a list or a space-separated string', () => {
    const base = { orgUrl: 'https://acme.okta.com', clientId: 'c', privateKey: 'k.pem', keyId: 'k' };
    expect(parse({ ...base, scopes: 'okta.users.read  okta.groups.read' }).scopes).toEqual(['okta.users.read', 'okta.groups.read']);
    expect(parse({ ...base, scopes: ['okta.users.read'] }).scopes).toEqual(['okta.users.read']);
  });

  it.each([
    [{ token: 't' }, 'orgsync.yaml: profiles[0].source.orgUrl:'],
    [{ orgUrl: 'acme.okta.com', token: 't' }, 'profiles[0].source.orgUrl: must be a URL'],
    [{ orgUrl: 'ftp://acme.okta.com', token: 't' }, 'profiles[0].source.orgUrl: must start with https://'],
    [{ orgUrl: 'https://acme.okta.com' }, 'profiles[0].source.token: required unless clientId + privateKey + keyId'],
    [{ orgUrl: 'https://acme.okta.com', token: 't', clientId: 'c' }, 'profiles[0].source.clientId: give either token or clientId'],
    [{ orgUrl: 'https://acme.okta.com', clientId: 'c', keyId: 'k' }, 'profiles[0].source.privateKey: required when clientId is set'],
    [{ orgUrl: 'https://acme.okta.com', clientId: 'c', privateKey: 'k.pem' }, 'profiles[0].source.keyId: required when clientId is set'],
    [{ orgUrl: 'https://acme.okta.com', token: 't', keyId: 'k' }, 'profiles[0].source.keyId: only used with clientId'],
    [{ orgUrl: 'https://acme.okta.com', token: 't', tokn: 'x' }, 'unknown key profiles[0].source.tokn'],
    [{ orgUrl: 'https://acme.okta.com', token: 't', concurrency: 0 }, 'profiles[0].source.concurrency:'],
    [{ orgUrl: 'https://acme.okta.com', token: 't', pageSize: 500 }, 'profiles[0].source.pageSize:'],
    [{ orgUrl: 'https://acme.okta.com', token: 't', groupPageSize: 1001 }, 'profiles[0].source.groupPageSize: must be at most 1000'],
    [{ orgUrl: 'https://acme.okta.com', token: 't', groupTypes: ['OKTA_GROUP', 'TEAM'] }, 'profiles[0].source.groupTypes[1]:'],
    [{ orgUrl: 'https://acme.okta.com', token: '' }, 'profiles[0].source.token:'],
  ])('rejects %j naming the key', (value, message) => {
    expect(problem(value)).toContain(message);
  });

  it('reads a private key path relative to the config directory and names a bad one', () => {
    const settings = parse({ orgUrl: 'https://acme.okta.com', clientId: 'c', privateKey: 'missing.pem', keyId: 'k' });
    expect(() => resolveAuth(settings, dir)).toThrow(`privateKey: cannot read key file ${join(dir, 'missing.pem')}`);
    const wrong = parse({ orgUrl: 'https://acme.okta.com', clientId: 'c', privateKey: 'not-a-key.txt', keyId: 'k' });
    expect(() => resolveAuth(wrong, dir)).toThrow(`privateKey: ${join(dir, 'not-a-key.txt')} holds no PEM private key`);
    const inline = parse({ orgUrl: 'https://acme.okta.com', clientId: 'c', privateKey: '-----BEGIN PRIVATE KEY-----\nabc', keyId: 'k' });
    expect(resolveAuth(inline, dir)).toMatchObject({ mode: 'privateKey', privateKey: '-----BEGIN PRIVATE KEY-----\nabc', scopes: ['okta.users.read', 'okta.groups.read'] });
  });

  it('creates a connector through the factory', () => {
    const source = oktaSourceFactory.create(parse({ orgUrl: 'https://acme.okta.com', token: 't' }), { baseDir: dir });
    expect(source.kind).toBe('okta');
  });

  it('is the `okta` kind of a config file, whose errors name the profile key', async () => {
    const path = join(dir, 'orgsync.yaml');
    const profile = (source: string) =>
      `profiles:\n  - name: acme\n    source: { kind: okta, ${source} }\n    org: { kind: file, path: org.json }\n`;
    await writeFile(path, profile('orgUrl: "https://acme.okta.com/", token: "${OKTA_TOKEN}"'));
    const config = await loadConfig(path, { OKTA_TOKEN: 'secret' });
    expect(config.profiles[0]!.source).toMatchObject({ kind: 'okta', settings: { orgUrl: 'https://acme.okta.com', token: 'secret' } });
    await writeFile(path, profile('orgUrl: "https://acme.okta.com", clientId: "0oa1"'));
    await expect(loadConfig(path, {})).rejects.toThrow(`${path}: profiles[0].source.privateKey: required when clientId is set`);
  });
});
