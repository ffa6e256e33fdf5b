/**
 * The kind registries: each entry's settings schema is its factory's, its module loads on demand
 * and once, and a mistake in a registration is an error naming the kind.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sourceFactories } from '../../../connectors/registry.js';
import { orgFactories } from '../../../src/org/registry.js';
import { indexByKind, lazyKind } from '../../../src/util/kinds.js';

describe('kind registries', () => {
  it('every entry loads a factory of its own kind with the settings schema config loading used', async () => {
    for (const registry of [sourceFactories, orgFactories]) {
      for (const [kind, entry] of registry) {
        const factory = await entry.load();
        expect(factory.kind).toBe(kind);
        expect(factory.settings).toBe(entry.settings);
      }
    }
    expect([...sourceFactories.keys()]).toEqual(['file', 'entra', 'okta', 'google', 'ldap']);
    expect([...orgFactories.keys()]).toEqual(['file', 'atlassian', 'scim']);
  });

  it('imports a module only when asked, and only once', async () => {
    let imports = 0;
    const entry = lazyKind('demo', z.object({}), async () => {
      imports += 1;
      return { kind: 'demo' };
    });
    expect(imports).toBe(0);
    const [first, second] = await Promise.all([entry.load(), entry.load()]);
    expect(first).toBe(second);
    expect(imports).toBe(1);
  });

  it('names the kinds when a registration loads the wrong factory', async () => {
    const entry = lazyKind('ldap', z.object({}), async () => ({ kind: 'google' }));
    await expect(entry.load()).rejects.toThrow('registry entry "ldap" loaded a factory of kind "google"');
  });

  it('refuses a kind registered twice', () => {
    expect(() => indexByKind([{ kind: 'file' }, { kind: 'file' }], 'source connector')).toThrow('duplicate source connector kind "file"');
  });
});
