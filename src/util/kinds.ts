/**
 * Registries keyed by kind (`file`, `entra`, `okta`, `atlassian`, `scim`, ...): what a profile's
 * `source.kind` or `org.kind` names.
 *
 * An entry holds the settings schema, which config loading needs for every profile and which is
 * light (zod only), and a `load` that imports the connector's or adapter's module on first use, so
 * an SDK is loaded only by a run whose profile uses it. Adding a kind is one line in the registry:
 * `lazyKind('ldap', ldapSettings, async () => (await import('./ldap/index.js')).ldapSourceFactory)`.
 */
import type { ZodType } from 'zod';
import type { Policy } from '../model/policy.js';

/** A light check of a profile's policy against what the kind supports: a problem naming the policy key, or undefined. */
export type PolicyCheck = (policy: Policy) => { key: string; message: string } | undefined;

export interface KindEntry<F> {
  readonly kind: string;
  /** Validates the profile's block minus `kind`. */
  readonly settings: ZodType;
  /** Imports the kind's policy check, run when a config naming this kind is loaded (before anything is opened). */
  readonly policyCheck?: () => Promise<PolicyCheck>;
  /** The factory, its module imported on the first call. */
  load(): Promise<F>;
}

/** An entry whose factory comes from `importFactory`; a factory of another kind is a programming error naming both. */
export function lazyKind<F extends { kind: string }>(kind: string, settings: ZodType, importFactory: () => Promise<F>, policyCheck?: () => Promise<PolicyCheck>): KindEntry<F> {
  let loading: Promise<F> | undefined;
  return {
    kind,
    settings,
    policyCheck,
    load() {
      loading ??= importFactory().then((factory) => {
        if (factory.kind !== kind) throw new Error(`registry entry "${kind}" loaded a factory of kind "${factory.kind}"`);
        return factory;
      });
      return loading;
    },
  };
}

/** An entry for a factory already at hand (tests register their own this way). */
export function eagerKind<F extends { kind: string; settings: ZodType; checkPolicy?: PolicyCheck }>(factory: F): KindEntry<F> {
  const check = factory.checkPolicy;
  return { kind: factory.kind, settings: factory.settings, policyCheck: check && (() => Promise.resolve(check)), load: () => Promise.resolve(factory) };
}

/** Index entries by their `kind`; a duplicate kind is a programming error naming it. */
export function indexByKind<F extends { kind: string }>(entries: F[], what: string): ReadonlyMap<string, F> {
  const map = new Map<string, F>();
  for (const entry of entries) {
    if (map.has(entry.kind)) throw new Error(`duplicate ${what} kind "${entry.kind}"`);
    map.set(entry.kind, entry);
  }
  return map;
}
