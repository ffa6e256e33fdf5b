/**
 * A throwaway OpenLDAP server for tests and benches: Debian's `slapd`, configured in a temp folder
 * (`slapd -f`, one mdb database), loaded with `slapadd` before it starts, listening on a free
 * loopback port, and stopped by its pid. No system-wide slapd config is read or touched.
 *
 * The schema is core, cosine, inetOrgPerson, nis and Debian's `msuser.schema` (Active Directory's
 * `user` and `group` classes with `objectGUID`, `userAccountControl`, `uSNChanged`, ...), and the
 * ppolicy overlay (for `pwdAccountLockedTime`). With `tls` the test makes a self-signed CA and a
 * server certificate for 127.0.0.1 with `openssl`, for StartTLS.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SLAPD = '/usr/sbin/slapd';
export const SLAPADD = '/usr/sbin/slapadd';
export const ROOT_PASSWORD = 'root-secret-for-tests';

export interface SlapdOptions {
  suffix: string;
  /** LDIF loaded before the server starts (the suffix entry included). */
  ldif: string;
  tls?: boolean;
  /** Extra lines for the database section, e.g. `limits * size.soft=50 size.hard=50`. */
  databaseConfig?: string[];
}

export interface Slapd {
  url: string;
  port: number;
  pid: number;
  suffix: string;
  rootDn: string;
  rootPassword: string;
  /** PEM file of the CA that signed the server certificate (with `tls`). */
  caFile?: string;
  dir: string;
  /** Stop the server (SIGTERM, then wait for it to exit). */
  stop(): Promise<void>;
  /** Stop the server and remove its folder. */
  close(): Promise<void>;
}

export function slapdAvailable(): boolean {
  return existsSync(SLAPD) && existsSync(SLAPADD) && existsSync('/etc/ldap/schema/msuser.schema');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function config(dir: string, options: SlapdOptions): string {
  const schemas = ['core', 'cosine', 'inetorgperson', 'nis', 'msuser'].map((name) => `include /etc/ldap/schema/${name}.schema`);
  const tls = options.tls
    ? [`TLSCACertificateFile ${join(dir, 'ca.pem')}`, `TLSCertificateFile ${join(dir, 'server.pem')}`, `TLSCertificateKeyFile ${join(dir, 'server.key')}`]
    : [];
  return [
    ...schemas,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'moduleload ppolicy',
    `pidfile ${join(dir, 'slapd.pid')}`,
    ...tls,
    // Debian's default is 500 entries per search, paged or not; a directory admin raises it for the
    // sync account. Tests that need a limit set one per bind DN with `limits`.
    'sizelimit unlimited',
    'database mdb',
    `suffix "${options.suffix}"`,
    `rootdn "cn=admin,${options.suffix}"`,
    `rootpw ${ROOT_PASSWORD}`,
    `directory ${join(dir, 'db')}`,
    'maxsize 1073741824',
    'index objectClass eq',
    'overlay ppolicy',
    ...(options.databaseConfig ?? []),
    '',
  ].join('\n');
}

async function makeCertificates(dir: string): Promise<void> {
  const at = (name: string) => join(dir, name);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=orgsync test CA', '-keyout', at('ca.key'), '-out', at('ca.pem')]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', at('server.key'), '-out', at('server.csr')]);
  await writeFile(at('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run('openssl', ['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', at('ext.cnf'), '-out', at('server.pem')]);
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`slapd did not listen on ${port}: ${output()}`);
}

/** Write the config, load the LDIF, start slapd in the foreground (so its pid is the child's). */
export async function startSlapd(options: SlapdOptions): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), 'orgsync-slapd-'));
  const conf = join(dir, 'slapd.conf');
  try {
    await mkdir(join(dir, 'db'));
    if (options.tls) await makeCertificates(dir);
    await writeFile(conf, config(dir, options));
    await writeFile(join(dir, 'data.ldif'), options.ldif);
    await run(SLAPADD, ['-q', '-f', conf, '-l', join(dir, 'data.ldif')], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const child = spawn(SLAPD, ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    await exited;
  };
  try {
    await waitForPort(port, child, () => stderr);
  } catch (error) {
    await stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    pid: child.pid!,
    suffix: options.suffix,
    rootDn: `cn=admin,${options.suffix}`,
    rootPassword: ROOT_PASSWORD,
    ...(options.tls ? { caFile: join(dir, 'ca.pem') } : {}),
    dir,
    stop,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
