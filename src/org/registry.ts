/**
 * Org adapters by kind. A profile's `org.kind` picks one; an unknown kind is a config error
 * naming it. Each entry carries the kind's settings schema (light: validated when a config is
 * loaded) and imports the adapter itself only when a run opens it (`src/util/kinds.ts`). Add an
 * adapter with one `lazyKind` line below.
 */
import { indexByKind, lazyKind, type KindEntry } from '../util/kinds.js';
import { atlassianSettings } from './atlassian/settings.js';
import { fileOrgSettings } from './file/settings.js';
import { scimSettings } from './scim/settings.js';
import type { OrgAdapterFactory } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOrgFactory = OrgAdapterFactory<any>;

const ENTRIES: KindEntry<AnyOrgFactory>[] = [
  lazyKind('file', fileOrgSettings, async () => (await import('./file/index.js')).fileOrgFactory),
  lazyKind('atlassian', atlassianSettings, async () => (await import('./atlassian/index.js')).atlassianOrgFactory, async () => (await import('./atlassian/schema.js')).checkAttributes),
  lazyKind('scim', scimSettings, async () => (await import('./scim/index.js')).scimOrgFactory),
];

export const orgFactories: ReadonlyMap<string, KindEntry<AnyOrgFactory>> = indexByKind(ENTRIES, 'org adapter');
