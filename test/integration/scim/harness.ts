/**
 * Test helpers for the generic SCIM adapter: seed a scimmy server from a conformance `Seed`, a
 * loopback invitation webhook that records what it receives, and an adapter on both.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScimOrgAdapter, scimSettings } from '../../../src/org/scim/index.js';
import type { StateStore } from '../../../src/store/types.js';
import type { Seed } from '../../conformance/org-adapter.js';
import type { ScimServer } from './server.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** Seed users and groups straight into the server's store (as if provisioned earlier by someone else). */
export function seedScim(server: ScimServer, seed: Seed): void {
  const { store } = server;
  const ids = new Map<string, string>();
  for (const u of seed.users) {
    const id = store.newId('user');
    ids.set(u.email, id);
    store.put(store.users, {
      schemas: [USER],
      id,
      userName: u.email,
      ...(u.externalId ? { externalId: u.externalId } : {}),
      displayName: u.displayName,
      ...(u.givenName || u.familyName ? { name: { givenName: u.givenName, familyName: u.familyName } } : {}),
      emails: [{ value: u.email, type: 'work', primary: true }],
      active: u.active,
      ...(u.title ? { title: u.title } : {}),
    });
  }
  for (const g of seed.groups) {
    store.put(store.groups, { schemas: [GROUP], id: store.newId('group'), displayName: g.name, members: g.members.map((email) => ({ value: ids.get(email)! })) });
  }
}

export interface Webhook {
  url: string;
  events: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1:0 that records each JSON event and answers 202. */
export async function startWebhook(): Promise<Webhook> {
  const events: Webhook['events'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      events.push({ ...JSON.parse(Buffer.concat(chunks).toString('utf8')), authorization: req.headers.authorization ?? null });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/invitations`,
    events,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function scimAdapter(server: ScimServer, state: StateStore, extra: Record<string, unknown> = {}): ScimOrgAdapter {
  const settings = scimSettings.parse({ baseUrl: server.url, token: server.token, domains: ['acme.com'], requestsPerSecond: 0, ...extra });
  return new ScimOrgAdapter(settings, { state, retry: { minDelayMs: 5, maxDelayMs: 50 } });
}
