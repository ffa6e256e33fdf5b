/**
 * The `notify:` block as the config loader sees it: defaults, the list shorthand, and errors that
 * name the key at fault without repeating a secret.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { OrgsyncError } from '../../../src/errors.js';

const profiles = `
profiles:
  - name: acme
    source: { kind: file, path: directory.json }
    org: { kind: file, path: org.json }
`;

async function load(notify: string, env: NodeJS.ProcessEnv = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'orgsync-notify-'));
  const path = join(dir, 'orgsync.yaml');
  await writeFile(path, `${profiles}${notify}`);
  return loadConfig(path, env);
}

async function failure(notify: string, env: NodeJS.ProcessEnv = {}): Promise<OrgsyncError> {
  const error = await load(notify, env).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrgsyncError);
  expect((error as OrgsyncError).code).toBe('config');
  return error as OrgsyncError;
}

describe('notify config', () => {
  it('is off by default, and a bare list is a list of targets with defaults', async () => {
    expect((await load('')).notify).toEqual({ incompleteRuns: 3, attempts: 6, backoff: '10s', targets: [] });
    const config = await load('notify:\n  - { kind: slack, url: "${SLACK_URL}", events: [plan.blocked] }\n', { SLACK_URL: 'https://hooks.slack.com/services/T0/B0/x' });
    expect(config.notify.targets).toEqual([{ kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/x', events: ['plan.blocked'], includeAddresses: false }]);
  });

  it('trims a trailing slash off the console URL', async () => {
    const config = await load('notify:\n  consoleUrl: https://orgsync.example.com/\n  targets: []\n');
    expect(config.notify.consoleUrl).toBe('https://orgsync.example.com');
  });

  it('refuses a webhook URL with a user name or password, naming the key and not the password', async () => {
    const error = await failure('notify:\n  - { kind: webhook, url: "${HOOK_URL}" }\n', { HOOK_URL: 'https://ops:hunter2secret@hooks.example.com/in' });
    expect(error.message).toMatch(/notify\.targets\[0\]\.url: must not carry a user name or password/);
    expect(error.message).not.toContain('hunter2secret');
  });

  it('names an unknown event, an unknown kind and a duplicate name', async () => {
    expect((await failure('notify:\n  - { kind: webhook, url: "https://h.example.com", events: [plan.made] }\n')).message).toMatch(/notify\.targets\[0\]\.events\[0\]/);
    expect((await failure('notify:\n  - { kind: email, url: "https://h.example.com" }\n')).message).toMatch(/notify\.targets\[0\]\.kind/);
    const twice = 'notify:\n  - { kind: slack, url: "https://a.example.com" }\n  - { kind: slack, url: "https://b.example.com" }\n';
    expect((await failure(twice)).message).toMatch(/notify\.targets\[1\]\.name: duplicate target name "slack"/);
  });

  it('keeps token and secret to webhook targets, without echoing them', async () => {
    const error = await failure('notify:\n  - { kind: teams, url: "https://t.example.com", token: "${T}" }\n', { T: 'teams-token-value' });
    expect(error.message).toMatch(/notify\.targets\[0\]: token and secret only apply to kind webhook/);
    expect(error.message).not.toContain('teams-token-value');
    const short = await failure('notify:\n  - { kind: webhook, url: "https://h.example.com", secret: "${S}" }\n', { S: 'abc' });
    expect(short.message).toMatch(/notify\.targets\[0\]\.secret: use a secret of at least 8 characters/);
    expect(short.message).not.toMatch(/\babc\b/);
  });

  it('names a non-URL and a zero backoff', async () => {
    expect((await failure('notify:\n  - { kind: slack, url: "hooks.slack.com/x" }\n')).message).toMatch(/notify\.targets\[0\]\.url: must be an http\(s\) URL/);
    expect((await failure('notify:\n  backoff: 0s\n')).message).toMatch(/notify\.backoff: expected a duration longer than zero/);
  });
});
