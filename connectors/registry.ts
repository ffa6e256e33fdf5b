/**
 * Source connectors by kind. A profile's `source.kind` picks one; an unknown kind is a config
 * error naming it. Add a connector by adding its factory to `FACTORIES`.
 */
import type { SourceConnectorFactory } from './types.js';
import { indexByKind } from '../src/util/kinds.js';
import { fileSourceFactory } from './file/index.js';
import { entraSourceFactory } from './entra/index.js';
import { oktaSourceFactory } from './okta/index.js';
import { ldapSourceFactory } from './ldap/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFactory = SourceConnectorFactory<any>;

const FACTORIES: AnyFactory[] = [
  fileSourceFactory,
  entraSourceFactory,
  oktaSourceFactory,
  ldapSourceFactory,
];

export const sourceFactories: ReadonlyMap<string, AnyFactory> = indexByKind(FACTORIES, 'source connector');
