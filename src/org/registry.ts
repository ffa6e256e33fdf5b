/**
 * Org adapters by kind. A profile's `org.kind` picks one; an unknown kind is a config error
 * naming it. Add an adapter by adding its factory to `FACTORIES`.
 */
import { indexByKind } from '../util/kinds.js';
import type { OrgAdapterFactory } from './types.js';
import { fileOrgFactory } from './file/index.js';
import { atlassianOrgFactory } from './atlassian/index.js';
import { scimOrgFactory } from './scim/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFactory = OrgAdapterFactory<any>;

const FACTORIES: AnyFactory[] = [
  fileOrgFactory,
  atlassianOrgFactory,
  scimOrgFactory,
];

export const orgFactories: ReadonlyMap<string, AnyFactory> = indexByKind(FACTORIES, 'org adapter');
