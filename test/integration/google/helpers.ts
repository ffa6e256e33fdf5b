/**
 * Shared set-up for the Google Workspace source tests: a service account with a fresh key (its
 * JSON key file in a temp directory), an emulator per test (closed afterwards), and a connector
 * pointed at both with retries that wait little (except what the server asks).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { GoogleSource } from '../../../connectors/google/index.js';
import { googleSettingsSchema } from '../../../connectors/google/settings.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { silentLogger } from '../../../src/log.js';
import type { Snapshot } from '../../../src/model/directory.js';
import type { PolicyInput } from '../../../src/model/policy.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { makeServiceAccount, startGoogleEmulator, Workspace, type GoogleEmulator, type ServiceAccount } from '../../emulators/google/index.js';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One key for the whole file: generating RSA keys is slow. */
let sharedAccount: ServiceAccount | undefined;
export function account(): ServiceAccount {
  return (sharedAccount ??= makeServiceAccount());
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orgsync-google-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A Workspace whose admin (`admin@acme.example`) is the delegation subject. */
export function workspace(): Workspace {
  const ws = new Workspace('C03az79cb', ['acme.example']);
  ws.addUser({ primaryEmail: 'admin@acme.example', isAdmin: true, name: { givenName: 'Ada', familyName: 'Admin', fullName: 'Ada Admin' } });
  return ws;
}

export async function emulator(ws: Workspace, options: { delegation?: Map<string, Set<string>> } = {}): Promise<GoogleEmulator> {
  const started = await startGoogleEmulator({ workspace: ws, accounts: [account()], ...options });
  cleanups.push(() => started.close());
  return started;
}

export interface Harness {
  source: GoogleSource;
  waits: number[];
  keyPath: string;
}

/** A connector for `google` with the service account's key file; `settings` override the defaults. */
export function connect(google: GoogleEmulator, settings: Record<string, unknown> = {}): Harness {
  const dir = tempDir();
  const keyPath = join(dir, 'key.json');
  writeFileSync(keyPath, JSON.stringify(account().keyFile));
  const parsed = googleSettingsSchema.parse({ credentials: 'key.json', subject: 'admin@acme.example', rootUrl: google.rootUrl, tokenUrl: google.tokenUrl, ...settings });
  const waits: number[] = [];
  const source = new GoogleSource(parsed, { baseDir: dir, retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5, onRetry: ({ waitMs }) => waits.push(waitMs) } });
  return { source, waits, keyPath };
}

export function read(harness: Harness, policy: PolicyInput = {}): Promise<Snapshot> {
  return harness.source.read({ policy: parsePolicy(policy), state: new MemoryStateStore(), full: false, log: silentLogger() });
}
