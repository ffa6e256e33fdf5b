/**
 * The `ldap` source through the command line, with the example config (`examples/ldap/`) pointed
 * at a test slapd loaded with the example LDIF: `snapshot source` and `plan` work; a wrong password
 * is one line naming the bind DN with exit 2; an unreachable server is one line with exit 1 and no
 * plan; a server stopped in the middle of a paged read fails the read, so nothing is deprovisioned.
 * The bind password appears in no output. The README's example script starts a server whose ACLs
 * let the example's bind account, and nobody else, read people and groups.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapClient, type SearchRequest } from '../../../connectors/ldap/client.js';
import { OrgsyncError } from '../../../src/errors.js';
import { EXAMPLES, REPO, run, STACK } from '../../cli/helpers.js';
import { openldapDirectory, READER_PASSWORD, readerDn } from './fixtures.js';
import { failureOf, readOnce } from './helpers.js';
import { freePort, slapdAvailable, startSlapd, type Slapd } from './slapd.js';

const PASSWORD = 'example-reader-password';

describe('ldap source: command line with the example config', () => {
  let server: Slapd;
  let dir: string;

  beforeAll(async () => {
    if (!slapdAvailable()) throw new Error('slapd is not installed: apt-get install slapd ldap-utils (as .ci/run does)');
    server = await startSlapd({ suffix: 'dc=acme,dc=com', ldif: await readFile(join(EXAMPLES, 'ldap/directory.ldif'), 'utf8') });
    dir = await mkdtemp(join(tmpdir(), 'orgsync-ldap-cli-'));
    await cp(join(EXAMPLES, 'ldap'), dir, { recursive: true });
    const config = await readFile(join(dir, 'orgsync.yaml'), 'utf8');
    expect(config).toContain('url: ldap://127.0.0.1:3389');
    await writeFile(join(dir, 'orgsync.yaml'), config.replace('ldap://127.0.0.1:3389', server.url));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cli = (argv: string[], env: NodeJS.ProcessEnv) => run([...argv, '--config', join(dir, 'orgsync.yaml')], { cwd: dir, env });

  it('prints the directory with `snapshot source`', async () => {
    const result = await cli(['snapshot', 'source'], { LDAP_BIND_PASSWORD: PASSWORD });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const directory = JSON.parse(result.stdout) as { complete: boolean; users: { email: string; active: boolean }[]; groups: { displayName: string; members: string[] }[] };
    expect(directory.complete).toBe(true);
    expect(directory.users.map((u) => u.email)).toEqual(['alice.ng@acme.com', 'bruno.costa@acme.com', 'chen.wei@acme.com', 'dana.smith@acme.com', 'eva.lind@partner.io']);
    expect(directory.users.find((u) => u.email === 'chen.wei@acme.com')?.active).toBe(false);
    expect(directory.groups.find((g) => g.displayName === 'Sales')?.members).toHaveLength(2);
  });

  it('plans against the org file: the locked user is deactivated, the partner invited', async () => {
    const result = await cli(['plan', '--format', 'json'], { LDAP_BIND_PASSWORD: PASSWORD });
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { sources: { kind: string; complete: boolean }[]; operations: { kind: string; email?: string }[] };
    expect(plan.sources[0]).toMatchObject({ kind: 'ldap', complete: true });
    const kinds = (kind: string) => plan.operations.filter((op) => op.kind === kind).map((op) => op.email);
    expect(kinds('deactivateAccount')).toEqual(['chen.wei@acme.com']);
    expect(kinds('inviteUser')).toEqual(['eva.lind@partner.io']);
    expect(kinds('createAccount')).toEqual(['bruno.costa@acme.com', 'dana.smith@acme.com']);
    expect(result.stdout).not.toContain(PASSWORD);
  });

  it('keeps the password out of stderr even with DEBUG=* (ldapts then logs every request it sends)', async () => {
    const settings = { url: server.url, bindDn: 'cn=orgsync-reader,ou=services,dc=acme,dc=com', bindPassword: PASSWORD, userBase: 'ou=people,dc=acme,dc=com' };
    const entry = [
      `import pino from 'pino';`,
      `import { LdapSource } from ${JSON.stringify(join(REPO, 'connectors/ldap/index.ts'))};`,
      `import { ldapSettingsSchema } from ${JSON.stringify(join(REPO, 'connectors/ldap/settings.ts'))};`,
      `import { policySchema } from ${JSON.stringify(join(REPO, 'src/model/policy.ts'))};`,
      `import { MemoryStateStore } from ${JSON.stringify(join(REPO, 'src/store/types.ts'))};`,
      `const source = new LdapSource(ldapSettingsSchema.parse(${JSON.stringify(settings)}), { baseDir: '.' });`,
      `const snapshot = await source.read({ policy: policySchema.parse({}), state: new MemoryStateStore(), full: true, log: pino({ level: 'debug' }) });`,
      `console.log(snapshot.users.length);`,
    ].join('\n');
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry], { cwd: REPO, env: { ...process.env, DEBUG: '*' } });
    expect(result.stdout).toContain('5');
    expect(result.stderr + result.stdout).not.toContain(PASSWORD);
  });

  it('refuses a wrong password with one line naming the bind DN and exit 2', async () => {
    const result = await cli(['plan'], { LDAP_BIND_PASSWORD: 'wrong-password-123' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('refused the bind as "cn=orgsync-reader,ou=services,dc=acme,dc=com"');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain('wrong-password-123');
    expect(result.stderr).not.toMatch(STACK);
  });

  it('reports an unreachable server in one line with exit 1 and prints no plan', async () => {
    const port = await freePort();
    const config = (await readFile(join(dir, 'orgsync.yaml'), 'utf8')).replace(server.url, `ldap://127.0.0.1:${port}`);
    await writeFile(join(dir, 'unreachable.yaml'), config);
    const result = await run(['plan', '--config', join(dir, 'unreachable.yaml')], { cwd: dir, env: { LDAP_BIND_PASSWORD: PASSWORD } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^orgsync: ldap source: .* on ldap://127\\.0\\.0\\.1:${port} failed: .*ECONNREFUSED`));
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).not.toMatch(STACK);
  });

  it('names the key of a broken setting', async () => {
    const config = (await readFile(join(dir, 'orgsync.yaml'), 'utf8')).replace(/url: .*/, 'url: http://127.0.0.1:1');
    await writeFile(join(dir, 'broken.yaml'), config);
    const result = await run(['plan', '--config', join(dir, 'broken.yaml')], { cwd: dir, env: { LDAP_BIND_PASSWORD: PASSWORD } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('profiles[0].source.url: must be ldap://host[:port] or ldaps://host[:port]');
  });
});

describe('ldap source: server stopped in the middle of a read', () => {
  let server: Slapd;

  beforeAll(async () => {
    if (!slapdAvailable()) throw new Error('slapd is not installed: apt-get install slapd ldap-utils (as .ci/run does)');
    const fixture = openldapDirectory({ users: 300 });
    server = await startSlapd({ suffix: fixture.suffix, ldif: fixture.ldif });
  }, 60_000);
  afterAll(() => server?.close());

  /** A client that stops the server once the first page of users has arrived. */
  class StoppingClient extends LdapClient {
    override async *pages(request: SearchRequest) {
      let seen = 0;
      for await (const page of super.pages(request)) {
        yield page;
        seen += 1;
        if (seen === 1) await server.stop();
      }
    }
  }

  it('fails the read (no snapshot, so nothing is deprovisioned)', async () => {
    const settings = { url: server.url, bindDn: readerDn(server.suffix), bindPassword: READER_PASSWORD, userBase: `ou=people,${server.suffix}`, groupBase: `ou=groups,${server.suffix}`, pageSize: 50, timeoutSeconds: 10 };
    let client: StoppingClient | undefined;
    const error = await failureOf(readOnce(settings, { client: (connection) => (client = new StoppingClient(connection)) }));
    expect(client!.stats.pages).toBe(1);
    expect(error).toBeInstanceOf(OrgsyncError);
    expect((error as OrgsyncError).code).toBe('ldap-unavailable');
    expect(error.message).toContain(`search of "ou=people,${server.suffix}"`);
    expect(error.message).not.toContain(READER_PASSWORD);
  });
});

describe('ldap source: the example server script', () => {
  let dir: string;
  let port: number;
  const script = join(EXAMPLES, 'ldap/start-slapd.sh');
  const env = () => ({ ...process.env, LDAP_PORT: String(port), TMPDIR: dir });

  beforeAll(async () => {
    if (!slapdAvailable()) throw new Error('slapd is not installed: apt-get install slapd ldap-utils (as .ci/run does)');
    dir = await mkdtemp(join(tmpdir(), 'orgsync-ldap-example-'));
    port = await freePort();
    const { stdout } = await promisify(execFile)(script, [], { env: env() });
    expect(stdout).toContain(`listening on ldap://127.0.0.1:${port}`);
    const config = await readFile(join(EXAMPLES, 'ldap/orgsync.yaml'), 'utf8');
    await cp(join(EXAMPLES, 'ldap/org.json'), join(dir, 'org.json'));
    await writeFile(join(dir, 'orgsync.yaml'), config.replace('ldap://127.0.0.1:3389', `ldap://127.0.0.1:${port}`));
  }, 60_000);
  afterAll(async () => {
    if (!dir) return;
    await promisify(execFile)(script, ['stop'], { env: env() });
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the example directory to the bind account of the example config', async () => {
    const result = await run(['snapshot', 'source', '--config', join(dir, 'orgsync.yaml')], { cwd: dir, env: { LDAP_BIND_PASSWORD: PASSWORD } });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { users: unknown[] }).users).toHaveLength(5);
  });

  it('shows nothing to an anonymous reader', async () => {
    const error = await failureOf(readOnce({ url: `ldap://127.0.0.1:${port}`, allowAnonymous: true, userBase: 'ou=people,dc=acme,dc=com' }));
    expect(error).toBeInstanceOf(OrgsyncError);
    expect(error.message).toContain('search of "ou=people,dc=acme,dc=com"');
  });
});
