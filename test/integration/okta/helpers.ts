/**
 * Shared set-up for the Okta connector tests: an emulator, a connector built through the factory
 * from raw settings (as a config file would give them), and one-call reads.
 */
import { OktaSource, oktaSourceFactory } from '../../../connectors/okta/index.js';
import { resolveAuth } from '../../../connectors/okta/settings.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { validate } from '../../../src/config/validate.js';
import type { Snapshot } from '../../../src/model/directory.js';
import type { PolicyInput } from '../../../src/model/policy.js';
import { silentLogger } from '../../../src/log.js';
import { MemoryStateStore, type StateStore } from '../../../src/store/types.js';
import type { OktaEmulator } from '../../emulators/okta/index.js';

/** The SDK sends loopback calls through HTTPS_PROXY when set; these tests talk to loopback only. */
export function unsetProxy(): void {
  for (const key of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete process.env[key];
}

/**
 * A connector for the emulator from raw settings, validated by the factory's schema. Backoff after
 * a server error starts at 10 ms instead of 500 ms so failing reads finish quickly.
 */
export function connector(emulator: OktaEmulator, settings: Record<string, unknown> = {}, baseDir = process.cwd()): OktaSource {
  const valid = validate(oktaSourceFactory.settings, { orgUrl: emulator.url, token: 'test-token', pageSize: 5, groupPageSize: 5, ...settings }, 'test', 'source');
  return new OktaSource(valid, resolveAuth(valid, baseDir), { retryDelayMs: 10 });
}

export interface ReadArgs {
  state?: StateStore;
  full?: boolean;
  policy?: PolicyInput;
}

export async function readOnce(emulator: OktaEmulator, settings: Record<string, unknown> = {}, args: ReadArgs = {}): Promise<Snapshot> {
  return connector(emulator, settings).read({
    policy: parsePolicy(args.policy ?? {}),
    state: args.state ?? new MemoryStateStore(),
    full: args.full ?? false,
    log: silentLogger(),
  });
}

/** Requests the emulator logged for one path (query ignored). */
export function requestsTo(emulator: OktaEmulator, path: string | RegExp): number {
  return emulator.stats.log.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path))).length;
}
