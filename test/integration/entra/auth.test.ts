import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntraSource } from '../../../connectors/entra/index.js';
import { entraSettingsSchema } from '../../../connectors/entra/settings.js';
import { defaultPolicy } from '../../../src/config/policy.js';
import { silentLogger } from '../../../src/log.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { Tenant } from '../../emulators/graph/index.js';
import { makeCertificate, startLoginEmulator, type Certificate } from '../../emulators/graph/login.js';
import { emulator } from './helpers.js';

let dir: string;
let tls: Certificate;
let appCert: Certificate;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra-auth-'));
  tls = makeCertificate(dir, 'tls');
  appCert = makeCertificate(dir, 'app');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setUp() {
  const tenant = new Tenant();
  tenant.addUser();
  tenant.addUser();
  const graph = await emulator({ tenant, token: 'token-from-login' });
  const login = await startLoginEmulator({
    tls,
    tenantId: 'contoso',
    accessToken: 'token-from-login',
    clients: [{ clientId: 'app-secret', secret: 'the-secret' }, { clientId: 'app-cert', certificate: appCert.cert }],
  });
  return { graph, login };
}

function sourceFor(settings: Record<string, unknown>, graphUrl: string, authorityHost: string, baseDir = dir): EntraSource {
  const parsed = entraSettingsSchema.parse({ tenantId: 'contoso', graphBaseUrl: graphUrl, authorityHost, ...settings });
  return new EntraSource(parsed, { baseDir, retry: { retries: 1, minDelayMs: 1 }, credentialOptions: { tlsOptions: { ca: tls.cert }, disableInstanceDiscovery: true } });
}

const readWith = (source: EntraSource) => source.read({ policy: defaultPolicy(), state: new MemoryStateStore(), full: false, log: silentLogger() });

describe('entra sign-in with @azure/identity credentials', () => {
  it('signs in with a client secret and sends the token it got to Graph', async () => {
    const { graph, login } = await setUp();
    try {
      const snapshot = await readWith(sourceFor({ clientId: 'app-secret', clientSecret: 'the-secret' }, graph.url, login.authorityHost));
      expect(snapshot.users).toHaveLength(2);
      expect(login.requests).toEqual([{ clientId: 'app-secret', scope: `${new URL(graph.url).origin}/.default`, proof: 'secret', granted: true }]);
      expect(graph.stats.unauthorized).toBe(0);
    } finally {
      await login.close();
    }
  });

  it('signs in with a certificate (path relative to the config directory)', async () => {
    const { graph, login } = await setUp();
    try {
      const source = sourceFor({ clientId: 'app-cert', certificatePath: relative(process.cwd(), appCert.pemPath) }, graph.url, login.authorityHost, process.cwd());
      const snapshot = await readWith(source);
      expect(snapshot.users).toHaveLength(2);
      expect(login.requests).toEqual([expect.objectContaining({ clientId: 'app-cert', proof: 'assertion', granted: true })]);
    } finally {
      await login.close();
    }
  });

  it('reports a refused sign-in without the secret and without calling Graph', async () => {
    const { graph, login } = await setUp();
    try {
      const failure = readWith(sourceFor({ clientId: 'app-secret', clientSecret: 'wrong-secret-value' }, graph.url, login.authorityHost));
      await expect(failure).rejects.toThrow(/^Microsoft Entra sign-in failed for client app-secret in tenant contoso: .*AADSTS7000215/);
      await expect(failure).rejects.not.toThrow(/wrong-secret-value/);
      expect(graph.stats.total).toBe(0);
    } finally {
      await login.close();
    }
  });
});
