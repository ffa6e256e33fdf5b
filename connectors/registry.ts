/**
 * Source connectors by kind. A profile's `source.kind` picks one; an unknown kind is a config
 * error naming it. Each entry carries the kind's settings schema (light: validated when a config
 * is loaded) and imports the connector itself, SDK included, only when a run opens it
 * (`src/util/kinds.ts`). Add a connector with one `lazyKind` line below.
 */
import { indexByKind, lazyKind, type KindEntry } from '../src/util/kinds.js';
import { entraSettingsSchema } from './entra/settings.js';
import { fileSourceSettings } from './file/settings.js';
import { googleSettingsSchema } from './google/settings.js';
import { ldapSettingsSchema } from './ldap/settings.js';
import { oktaSettingsSchema } from './okta/settings.js';
import type { SourceConnectorFactory } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySourceFactory = SourceConnectorFactory<any>;

const ENTRIES: KindEntry<AnySourceFactory>[] = [
  lazyKind('file', fileSourceSettings, async () => (await import('./file/index.js')).fileSourceFactory),
  lazyKind('entra', entraSettingsSchema, async () => (await import('./entra/index.js')).entraSourceFactory),
  lazyKind('okta', oktaSettingsSchema, async () => (await import('./okta/index.js')).oktaSourceFactory),
  lazyKind('google', googleSettingsSchema, async () => (await import('./google/index.js')).googleSourceFactory),
  lazyKind('ldap', ldapSettingsSchema, async () => (await import('./ldap/index.js')).ldapSourceFactory),
];

export const sourceFactories: ReadonlyMap<string, KindEntry<AnySourceFactory>> = indexByKind(ENTRIES, 'source connector');
