import { describe, expect, it } from 'vitest';
import { usageError } from '../../../src/errors.js';
import { parsePlan } from '../../../src/plan/schema.js';
import { PLAN_FORMATS, planFormat, renderPlan } from '../../../src/plan/render/index.js';
import { everyKind, plan } from './plans.js';

describe('plan schema', () => {
  it('accepts a plan written as JSON and read back', () => {
    const original = plan(everyKind());
    expect(parsePlan(JSON.parse(renderPlan(original, 'json')), 'plan.json')).toEqual(original);
  });

  it('names the operation index and the kind of an unknown operation', () => {
    const document = JSON.parse(renderPlan(plan(everyKind()), 'json'));
    document.operations[3].kind = 'deleteEverything';
    expect(() => parsePlan(document, 'plan.json')).toThrow(/^plan\.json: not a valid plan: operations\[3\]\.kind: unknown operation kind "deleteEverything"/);
  });

  it('rejects another schema and missing keys, naming them', () => {
    const document = JSON.parse(renderPlan(plan([]), 'json'));
    expect(() => parsePlan({ ...document, schema: 'orgsync.plan/v0' }, 'p.json')).toThrow('p.json: not a valid plan: schema: expected "orgsync.plan/v1", got "orgsync.plan/v0"');
    const { fingerprints: _gone, ...rest } = document;
    expect(() => parsePlan(rest, 'p.json')).toThrow(/^p\.json: not a valid plan: fingerprints: /);
    expect(() => parsePlan([], 'p.json')).toThrow(/^p\.json: not a valid plan: \(top level\): /);
  });
});

describe('format registry', () => {
  it('refuses a plan whose status disagrees with its guards or its operations', () => {
    const blocked = JSON.parse(renderPlan(plan(everyKind()), 'json'));
    expect(() => parsePlan({ ...blocked, status: 'ready' }, 'edited.json')).toThrow(/edited\.json: not a valid plan: status: is "ready" but guard maxDeprovisionPercent failed/);
    expect(() => parsePlan({ ...blocked, status: 'empty' }, 'edited.json')).toThrow(/edited\.json: not a valid plan: status: /);
    expect(parsePlan(blocked, 'plan.json').status).toBe('blocked');
  });

  it('knows text, json and markdown', () => {
    expect(PLAN_FORMATS).toEqual(['text', 'json', 'markdown']);
    for (const format of PLAN_FORMATS) expect(renderPlan(plan(everyKind()), planFormat(format))).toContain('p-0123456789abcdef0123');
  });

  it('rejects an unknown format with a usage error listing the known ones', () => {
    expect(() => planFormat('yaml')).toThrow(usageError('unknown format "yaml" (formats: text, json, markdown)'));
    expect(() => planFormat('toString')).toThrow(/unknown format "toString"/);
  });
});
