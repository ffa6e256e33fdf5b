/**
 * Local notification receivers on 127.0.0.1:0, one per target kind, each answering the way the
 * real service does (see ASSUMPTIONS.md) and refusing what it refuses:
 * - `plain`: a webhook endpoint; with `token`, a request without that bearer token gets 401;
 *   accepts any JSON object with 204.
 * - `slack`: a Slack incoming webhook: 200 `ok` (text/plain); 400 `invalid_payload` for a body that
 *   is not a JSON object, 400 `no_text` without `text` or `blocks`, 400 `invalid_blocks` for blocks
 *   over Block Kit's limits.
 * - `teams`: a Teams workflow webhook: 202 with an empty body; 400 for anything but a `message`
 *   with Adaptive Card attachments.
 * `failNext(n, status)` answers the next n requests with `status` before looking at them. Every
 * request is recorded with its raw body, so tests can check signatures on the exact bytes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverKind = 'plain' | 'slack' | 'teams';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  json: unknown;
  status: number;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** Requests answered 2xx. */
  delivered(): Received[];
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

type Answer = { status: number; body: string; type?: string };

const SLACK_LIMITS = { blocks: 50, header: 150, section: 3000, field: 2000, fields: 10, button: 75, url: 3000 };

function textOf(value: unknown): string | undefined {
  const text = (value as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' ? text : undefined;
}

/** Why Slack would refuse these blocks, or null. */
export function slackBlockProblem(blocks: unknown): string | null {
  if (!Array.isArray(blocks) || blocks.length > SLACK_LIMITS.blocks) return 'blocks must be an array of at most 50';
  for (const [i, block] of (blocks as Record<string, unknown>[]).entries()) {
    const text = textOf(block.text);
    if (block.type === 'header' && (!text || text.length > SLACK_LIMITS.header || (block.text as { type?: string }).type !== 'plain_text')) return `block ${i}: header needs plain_text of at most 150`;
    if (block.type === 'section') {
      const fields = (block.fields ?? []) as unknown[];
      if (text === undefined && fields.length === 0) return `block ${i}: section needs text or fields`;
      if (text !== undefined && (text.length === 0 || text.length > SLACK_LIMITS.section)) return `block ${i}: section text of 1 to 3000`;
      if (fields.length > SLACK_LIMITS.fields || fields.some((f) => !textOf(f) || textOf(f)!.length > SLACK_LIMITS.field)) return `block ${i}: at most 10 fields of 2000`;
    }
    if (block.type === 'actions') {
      for (const el of (block.elements ?? []) as Record<string, unknown>[]) {
        const label = textOf(el.text);
        if (!label || label.length > SLACK_LIMITS.button || typeof el.url !== 'string' || el.url.length > SLACK_LIMITS.url) return `block ${i}: button text 1-75 and url up to 3000`;
      }
    }
    if (!['header', 'section', 'actions', 'context', 'divider'].includes(String(block.type))) return `block ${i}: unknown type ${String(block.type)}`;
  }
  return null;
}

function slackAnswer(json: unknown): Answer {
  const refuse = (body: string): Answer => ({ status: 400, body, type: 'text/plain' });
  if (!json || typeof json !== 'object' || Array.isArray(json)) return refuse('invalid_payload');
  const message = json as Record<string, unknown>;
  if (typeof message.text !== 'string' && message.blocks === undefined) return refuse('no_text');
  if (message.blocks !== undefined && slackBlockProblem(message.blocks)) return refuse('invalid_blocks');
  return { status: 200, body: 'ok', type: 'text/plain' };
}

/** Why a Teams workflow would refuse this body, or null. */
export function teamsProblem(json: unknown): string | null {
  const message = json as { type?: unknown; attachments?: { contentType?: unknown; content?: { type?: unknown; version?: unknown; body?: unknown } }[] } | null;
  if (!message || message.type !== 'message' || !Array.isArray(message.attachments) || message.attachments.length === 0) return 'expected a message with attachments';
  for (const a of message.attachments) {
    if (a.contentType !== 'application/vnd.microsoft.card.adaptive') return 'attachments must be Adaptive Cards';
    if (a.content?.type !== 'AdaptiveCard' || typeof a.content.version !== 'string' || !Array.isArray(a.content.body)) return 'an Adaptive Card needs type, version and body';
  }
  return null;
}

function teamsAnswer(json: unknown): Answer {
  const problem = teamsProblem(json);
  return problem ? { status: 400, body: JSON.stringify({ error: { code: 'InvalidRequestContent', message: problem } }), type: 'application/json' } : { status: 202, body: '' };
}

function answer(kind: ReceiverKind, req: IncomingMessage, json: unknown, token?: string): Answer {
  if (req.method !== 'POST') return { status: 405, body: '' };
  if (kind === 'plain' && token && req.headers.authorization !== `Bearer ${token}`) return { status: 401, body: '{"error":"unauthorized"}', type: 'application/json' };
  if (!String(req.headers['content-type']).startsWith('application/json')) return { status: 400, body: 'invalid_payload', type: 'text/plain' };
  if (kind === 'slack') return slackAnswer(json);
  if (kind === 'teams') return teamsAnswer(json);
  return json && typeof json === 'object' ? { status: 204, body: '' } : { status: 400, body: '{"error":"expected a JSON object"}', type: 'application/json' };
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export async function startReceiver(kind: ReceiverKind, options: { token?: string } = {}): Promise<Receiver> {
  const requests: Received[] = [];
  const failures: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const json = parse(raw);
      const forced = failures.shift();
      const a: Answer = forced !== undefined ? { status: forced, body: 'rollup_error', type: 'text/plain' } : answer(kind, req, json, options.token);
      requests.push({ path: req.url ?? '/', headers: req.headers, raw, json, status: a.status });
      res.writeHead(a.status, a.type ? { 'content-type': a.type } : {}).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/T000/B000/secretpath`,
    requests,
    delivered: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    failNext: (count, status = 500) => failures.push(...Array.from({ length: count }, () => status)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
