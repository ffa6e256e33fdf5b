/**
 * Raw HTTP clients for the Atlassian emulator's tests: plain `fetch` with the right bearer token, so
 * the tests see exactly what an adapter would (status, headers, JSON body).
 */
import { startAtlassianEmulator, type AtlassianEmulator, type AtlassianEmulatorOptions } from '../../emulators/atlassian/index.js';

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  body: any;
}

async function call(url: string, token: string, method: string, body?: unknown): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export interface Clients {
  e: AtlassianEmulator;
  /** `path` is relative to `/admin/v2/orgs/{orgId}`. */
  org(method: string, path: string, body?: unknown): Promise<Answer>;
  /** `path` is relative to `/scim/directory/{directoryId}` (default: the emulator's SCIM directory). */
  scim(method: string, path: string, body?: unknown, directory?: { id: string; token: string }): Promise<Answer>;
  /** Search one directory (or `-`) and return the page's users. */
  users(directoryId: string, query?: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
}

export async function start(options: AtlassianEmulatorOptions = {}): Promise<Clients> {
  const e = await startAtlassianEmulator(options);
  const org = (method: string, path: string, body?: unknown) => call(`${e.url}/admin/v2/orgs/${e.orgId}${path}`, e.apiKey, method, body);
  const scim = (method: string, path: string, body?: unknown, directory = { id: e.scimDirectoryId, token: e.scimToken }) =>
    call(`${e.url}/scim/directory/${directory.id}${path}`, directory.token, method, body);
  const users = async (directoryId: string, query: Record<string, unknown> = {}) => {
    const answer = await org('POST', `/directories/${directoryId}/users/search`, query);
    if (answer.status !== 200) throw new Error(`user search answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.data as Array<Record<string, unknown>>;
  };
  return { e, org, scim, users };
}

export function scimUser(email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email, emails: [{ value: email, type: 'work', primary: true }], ...extra };
}

/** The account id a SCIM answer links to. */
export function accountIdOf(scimBody: Record<string, unknown>): string {
  return (scimBody['urn:scim:schemas:extension:atlassian-external:1.0'] as { atlassianAccountId: string }).atlassianAccountId;
}

/** The org API's error detail, and its code. */
export function orgError(answer: Answer): { status: number; code: string; detail: string } {
  const error = answer.body?.errors?.[0];
  return { status: answer.status, code: error?.code, detail: error?.detail };
}
