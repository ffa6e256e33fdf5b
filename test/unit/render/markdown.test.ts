import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/plan/render/markdown.js';
import { everyKind, groupOp, plan, userOp } from './plans.js';

describe('markdown rendering', () => {
  const markdown = renderMarkdown(plan(everyKind(), { status: 'blocked' }));

  it('has a heading with the status and a summary table', () => {
    expect(markdown.split('\n')[0]).toBe('### orgsync plan `p-0123456789abcdef0123`: BLOCKED');
    expect(markdown).toContain('| `+` createAccount | 1 |');
    expect(markdown).toContain('| `x` revokeAccess | 1 |');
    expect(markdown).toContain('| **total** | **12** |');
  });

  it('marks failed guards and lists warnings', () => {
    expect(markdown).toContain('| maxDeprovisions | 2 of 50 | passed |');
    expect(markdown).toContain('| maxDeprovisionPercent | 12.5 of 10 | **BLOCKED** |');
    expect(markdown).toContain('- `unverified-domain` lee@acme-labs.com: acme-labs.com is claimed but not verified');
  });

  it('lists operations per kind with reasons and changes', () => {
    expect(markdown).toContain('#### `~` updateAccount (1)\n\n- **ann@acme.com**: reason for updateAccount\n  - title: "Engineer" → "Senior Engineer"');
    expect(markdown).toContain('- **Design**: reason for addMembers\n  - new@acme.com (claimed)\n  - ann@acme.com (claimed)');
  });

  it('caps long lists with "and N more"', () => {
    const many = Array.from({ length: 30 }, (_, i) => userOp('inviteUser', `p${String(i).padStart(2, '0')}@partner.io`));
    const capped = renderMarkdown(plan(many), { limit: 5 });
    expect(capped).toContain('**p04@partner.io**');
    expect(capped).not.toContain('p05@partner.io');
    expect(capped).toContain('- …and 25 more');
    const members = Array.from({ length: 12 }, (_, i) => ({ email: `m${i}@acme.com`, sourceId: `u${i}`, accountId: null, classification: 'claimed' as const }));
    expect(renderMarkdown(plan([groupOp('addMembers', 'Big', { members })]), { memberLimit: 3 })).toContain('  - m2@acme.com (claimed)\n  - …and 9 more');
  });

  it('escapes names so they cannot break the markup', () => {
    const tricky = renderMarkdown(plan([groupOp('createGroup', 'R|D *core* [x](y)')]));
    expect(tricky).toContain('- **R\\|D \\*core\\* \\[x\\](y)**');
  });

  it('says so when there is nothing to do', () => {
    expect(renderMarkdown(plan([]))).toContain('No changes: the org already matches the directory.');
  });
});
