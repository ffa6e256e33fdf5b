/**
 * Names from the directory reach a reviewer's terminal and chat: escape sequences, newlines and
 * bidi overrides in them must be shown, never obeyed, in every human-facing output.
 */
import { describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../../src/apply/types.js';
import { renderApplyReport } from '../../../src/cli/output.js';
import { html } from '../../../src/console/views/html.js';
import { renderJson } from '../../../src/plan/render/json.js';
import { renderMarkdown } from '../../../src/plan/render/markdown.js';
import { renderText } from '../../../src/plan/render/text.js';
import { printable } from '../../../src/util/printable.js';
import { groupOp, plan, userOp } from './plans.js';

const CLEAR = '\x1b[2J\x1b[H';
const FORGED = 'Eve\n  x fake@acme.com  fake revoke';
const RLO = 'evil\u202Emoc.emca@';
const CSI8 = '\u009b31m';

/** Characters that must never reach a terminal raw. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const hostile = plan(
  [
    groupOp('createGroup', `Design${CLEAR}`, { reason: `directory group g-1${CSI8} is mirrored` }),
    groupOp('updateGroup', 'Ops', { before: { name: 'Ops' }, after: { name: FORGED } }),
    userOp('updateAccount', 'ann@acme.com', { accountId: 'a-1', before: { displayName: 'Ann' }, after: { displayName: RLO } }),
    groupOp('addMembers', 'All | Staff', { members: [{ email: `x${CLEAR}@acme.com`, sourceId: 'u-x', accountId: null, classification: 'claimed' }] }),
    userOp('createAccount', 'new@acme.com', { reason: FORGED }),
  ],
  { warnings: [{ code: 'invalid-email', message: `directory user ${FORGED} | ${RLO}` }] },
);

describe('printable', () => {
  it('writes control, C1 and bidi characters as visible escapes and leaves the rest alone', () => {
    expect(printable('plain Zoë 名前')).toBe('plain Zoë 名前');
    expect(printable(CLEAR)).toBe('\\x1b[2J\\x1b[H');
    expect(printable(FORGED)).toBe('Eve\\n  x fake@acme.com  fake revoke');
    expect(printable(RLO)).toBe('evil\\u202emoc.emca@');
    expect(printable(CSI8)).toBe('\\x9b31m');
    expect(printable('a\u2066b\u2069\u2028')).toBe('a\\u2066b\\u2069\\u2028');
  });
});

describe('renderings of names that carry control characters', () => {
  it('text: no raw control character, and no line a name forged', () => {
    const text = renderText(hostile, { color: false });
    expect(text).not.toMatch(RAW);
    expect(text.split('\n').filter((line) => line.startsWith('  x fake@acme.com'))).toEqual([]);
    expect(text).toContain('Eve\\n  x fake@acme.com  fake revoke');
    expect(text).toContain('evil\\u202emoc.emca@');
  });

  it('text with colours: only the renderer’s own escape sequences', () => {
    const text = renderText(hostile, { color: true });
    const withoutOwn = text.replace(new RegExp(String.raw`\x1b\[\d+m`, 'g'), '');
    expect(withoutOwn).not.toMatch(RAW);
  });

  it('markdown: no raw escape bytes, no forged line, tables intact', () => {
    const markdown = renderMarkdown(hostile);
    expect(markdown).not.toMatch(RAW);
    expect(markdown.split('\n').some((line) => line.startsWith('  x fake@'))).toBe(false);
    // Every row of a table has as many cells as the table's header.
    let cells = 0;
    for (const line of markdown.split('\n')) {
      if (!line.startsWith('|')) {
        cells = 0;
        continue;
      }
      const count = line.replace(/\\\|/g, '').split('|').length;
      if (cells === 0) cells = count;
      expect(count, line).toBe(cells);
    }
    expect(markdown).toContain('All \\| Staff');
  });

  it('json: the same values, with C1 and bidi characters written as \\u escapes', () => {
    const json = renderJson(hostile);
    expect(json).not.toMatch(RAW);
    expect(JSON.parse(json)).toEqual(hostile);
  });

  it('apply report: subjects and server messages escaped', () => {
    const report: ApplyReport = {
      status: 'failed',
      results: [{ id: hostile.operations[0]!.id, kind: 'createGroup', result: 'failed', message: `server said ${CLEAR}${FORGED}`, at: '2025-01-01T00:00:00.000Z' }],
      counts: { applied: 0, skipped: 0, conflict: 0, failed: 1 },
    };
    const text = renderApplyReport(hostile, report);
    expect(text).not.toMatch(RAW);
    expect(text.split('\n')).toHaveLength(4);
  });

  it('console pages: values escaped for HTML and for bidi', () => {
    expect(html`<td>${RLO}${CLEAR}</td>`.value).toBe('<td>evil\\u202emoc.emca@\\x1b[2J\\x1b[H</td>');
  });
});
