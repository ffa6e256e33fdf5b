import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProfile, loadConfig, substituteEnv } from '../../../src/config/load.js';
import { loadPolicyFile, parsePolicy } from '../../../src/config/policy.js';
import { durationMs } from '../../../src/config/schema.js';

async function configFile(text: string, name = 'orgsync.yaml'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'orgsync-config-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const minimal = `
profiles:
  - name: acme
    source: { kind: file, path: directory.json }
    org: { kind: file, path: org.json }
`;

describe('loadConfig', () => {
  it('fills defaults and resolves the policy', async () => {
    const config = await loadConfig(await configFile(minimal), {});
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'orgsync' });
    const profile = findProfile(config, undefined);
    expect(profile.mode).toBe('review');
    expect(profile.policy.guards.maxDeprovisions).toBe(50);
    expect(profile.source).toEqual({ kind: 'file', settings: { path: 'directory.json' } });
    expect(Object.isFrozen(profile.policy.scope)).toBe(true);
  });

  it('substitutes ${VAR} and names the key of a missing variable', async () => {
    const path = await configFile(`${minimal}    policy: { external: { roles: ["\${ROLE}"] } }\n`);
    const config = await loadConfig(path, { ROLE: 'atlassian/user' });
    expect(config.profiles[0]!.policy.external.roles).toEqual(['atlassian/user']);
    await expect(loadConfig(path, {})).rejects.toThrow(/profiles\[0\]\.policy\.external\.roles\[0\]: environment variable ROLE is not set/);
  });

  it('names an unknown key, a wrong type and an unknown kind', async () => {
    await expect(loadConfig(await configFile(`${minimal}    mode: sometimes\n`), {})).rejects.toThrow(/profiles\[0\]\.mode/);
    await expect(loadConfig(await configFile(`${minimal}    shedule: { every: 5m }\n`), {})).rejects.toThrow(/unknown key profiles\[0\]\.shedule/);
    await expect(loadConfig(await configFile(minimal.replace('kind: file, path: org.json', 'kind: jira')), {})).rejects.toThrow(
      /profiles\[0\]\.org\.kind: unknown kind "jira"/,
    );
    await expect(loadConfig(await configFile(minimal.replace('path: directory.json', 'path: 3')), {})).rejects.toThrow(/profiles\[0\]\.source\.path/);
  });

  it('names a schedule without every or pattern, and a zero interval', async () => {
    await expect(loadConfig(await configFile(`${minimal}    schedule: {}\n`), {})).rejects.toThrow(/profiles\[0\]\.schedule: give every or pattern/);
    await expect(loadConfig(await configFile(`${minimal}    schedule: { every: 0s }\n`), {})).rejects.toThrow(/profiles\[0\]\.schedule\.every: a duration must be longer than zero/);
    const config = await loadConfig(await configFile(`${minimal}    schedule: { pattern: "0 * * * *", tz: UTC }\n`), {});
    expect(config.profiles[0]!.schedule).toEqual({ pattern: '0 * * * *', tz: 'UTC' });
  });

  it('names the policy key that is misspelt', async () => {
    const path = await configFile(`${minimal}    policy: { guards: { maxDeprovision: 3 } }\n`);
    await expect(loadConfig(path, {})).rejects.toThrow(/unknown key profiles\[0\]\.policy\.guards\.maxDeprovision/);
  });

  it('reports malformed YAML and a missing file with the path', async () => {
    const bad = await configFile('profiles: [ {name: x\n');
    await expect(loadConfig(bad, {})).rejects.toThrow(new RegExp(`${bad}: malformed YAML`));
    await expect(loadConfig('/nonexistent/orgsync.yaml', {})).rejects.toThrow('/nonexistent/orgsync.yaml: config file not found');
  });

  it('rejects duplicate profile names and lists profiles when the choice is unclear', async () => {
    const two = `${minimal}  - name: beta\n    source: { kind: file, path: d.json }\n    org: { kind: file, path: o.json }\n`;
    const config = await loadConfig(await configFile(two), {});
    expect(() => findProfile(config, undefined)).toThrow(/several profiles \(acme, beta\)/);
    expect(() => findProfile(config, 'gamma')).toThrow(/no profile named "gamma"/);
    await expect(loadConfig(await configFile(two.replace('name: beta', 'name: acme')), {})).rejects.toThrow(/duplicate profile name "acme"/);
  });
});

describe('policy and durations', () => {
  it('gives every default of DESIGN §3', () => {
    const policy = parsePolicy({});
    expect(policy).toEqual({
      scope: { groups: [], stagedActive: false },
      groups: { sync: 'all', nested: 'flatten', prefix: '' },
      attributes: ['displayName', 'givenName', 'familyName', 'title', 'department'],
      deprovision: { managed: 'deactivate', external: 'revoke', unmatchedManaged: 'ignore' },
      external: { groups: [], roles: [], notify: true },
      addresses: { allowConfusable: false },
      guards: { maxDeprovisions: 50, maxDeprovisionPercent: 10, maxGroupDeletions: 5 },
    });
  });

  it('names a wrong type', () => {
    expect(() => parsePolicy({ guards: { maxDeprovisions: 'ten' } }, 'policy.yaml')).toThrow(/policy\.yaml: guards\.maxDeprovisions: /);
  });

  it('refuses an empty or non-object policy file instead of falling back to the defaults', async () => {
    const empty = await configFile('', 'empty.yaml');
    await expect(loadPolicyFile(empty)).rejects.toThrow(`${empty}: policy file is empty`);
    const list = await configFile('- a\n', 'list.yaml');
    await expect(loadPolicyFile(list)).rejects.toThrow(`${list}: a policy file must hold an object`);
    expect((await loadPolicyFile(await configFile('{}', 'defaults.yaml'))).guards.maxDeprovisions).toBe(50);
  });

  it('parses durations', () => {
    expect(durationMs('15m')).toBe(900_000);
    expect(durationMs('1d')).toBe(86_400_000);
    expect(() => durationMs('soon')).toThrow(/not a duration/);
  });

  it('substitutes nested values only where asked', () => {
    expect(substituteEnv({ a: ['x${Y}z', 3] }, { Y: '-' }, 'f')).toEqual({ a: ['x-z', 3] });
  });
});
