/**
 * The two directories an Atlassian organization keeps people in: the identity provider directory
 * (SCIM-provisioned, managed accounts; its id is `scimDirectoryId`) and the local directory
 * (invited people). Resolved once per adapter from `GET /admin/v2/orgs/{orgId}/directories`: a
 * configured id the organization does not have is a configuration error naming the key; without
 * `directoryId`, the local directory is the one directory that is not the SCIM one.
 */
import { configError } from '../../errors.js';
import type { ApiDirectory } from './client.js';

export interface Directories {
  /** The local directory: invitees and the external companions of groups. */
  local: string;
  /** The identity provider directory: SCIM users and groups. */
  idp: string;
}

function known(list: ApiDirectory[]): string {
  return list.map((d) => (d.name ? `${d.directoryId} (${d.name})` : d.directoryId)).join(', ') || 'none';
}

export function resolveDirectories(list: ApiDirectory[], configured: { directoryId?: string; scimDirectoryId: string }): Directories {
  const ids = new Set(list.map((d) => d.directoryId));
  if (!ids.has(configured.scimDirectoryId)) {
    throw configError(`atlassian org: scimDirectoryId: the organization has no directory ${configured.scimDirectoryId} (directories: ${known(list)})`);
  }
  if (configured.directoryId !== undefined) {
    if (!ids.has(configured.directoryId)) throw configError(`atlassian org: directoryId: the organization has no directory ${configured.directoryId} (directories: ${known(list)})`);
    return { local: configured.directoryId, idp: configured.scimDirectoryId };
  }
  const others = list.filter((d) => d.directoryId !== configured.scimDirectoryId);
  if (others.length !== 1) {
    throw configError(`atlassian org: directoryId: not set, and the organization has ${others.length} directories besides the SCIM one (${known(others)}); name the local directory`);
  }
  return { local: others[0]!.directoryId, idp: configured.scimDirectoryId };
}
