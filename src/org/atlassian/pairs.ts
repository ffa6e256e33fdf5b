/**
 * Groups as the reconcile core sees them: one logical group per IdP group, kept by Atlassian as a
 * pair (pure; no I/O).
 *
 * A group holds members of its own directory only, and an identity-provider-synced group takes no
 * members through the org API. So the group mirroring one IdP group is:
 * - its identity provider side: a SCIM group (members changed by SCIM PATCH) and the org-API group
 *   it shows up as in the identity provider directory (read for members, used for role
 *   assignments), holding the managed members;
 * - its local side (the companion): an org-API group in the local directory, holding the invited
 *   (external) members, with the same role assignments.
 * Either side may be missing until it is first needed, and a rename replaces a side (Atlassian
 * renames neither kind of group). The logical group's id is the one the records give both sides
 * (`pair`: the id of the first side the sync made), else the SCIM group's id, else the group's own,
 * so it stays the same while sides come and go. Its members are the union of both sides; its name
 * and description are those the sync recorded (else the groups' own). A local group joins a pair
 * when the records say so, or when the sync created it for the same IdP group (a group made by an
 * earlier version, which kept everyone in the local directory). Any other group is a pair of one
 * side.
 */
import type { GroupRecord, Ownership } from '../scim/ownership.js';
import type { ScimGroup } from '../scim/map.js';
import type { ApiGroup } from './client.js';

export interface IdpSide {
  scim?: ScimGroup;
  /** The org-API group in the identity provider directory (absent until search shows it). */
  group?: ApiGroup;
  members: Set<string>;
}

export interface LocalSide {
  group: ApiGroup;
  members: Set<string>;
}

export interface GroupPair {
  id: string;
  name: string;
  description: string;
  externalId: string | null;
  idp?: IdpSide;
  local?: LocalSide;
}

export interface PairInput {
  localGroups: ApiGroup[];
  idpGroups: ApiGroup[];
  scimGroups: ScimGroup[];
  /** Members of an org-API group by its id (from the users' expanded groups). */
  membersOf(groupId: string): Set<string>;
  /** The account id of a SCIM user id, if known. */
  accountOfScim(scimUserId: string): string | undefined;
}

function idpSide(scim: ScimGroup, twin: ApiGroup | undefined, input: PairInput): IdpSide {
  const members = new Set(twin ? input.membersOf(twin.id) : []);
  for (const member of scim.members ?? []) {
    const accountId = input.accountOfScim(member.value);
    if (accountId) members.add(accountId);
  }
  return { scim, group: twin, members };
}

function scimPairs(input: PairInput, ownership: Ownership): { pairs: Map<string, GroupPair>; twins: Set<string> } {
  const byName = new Map(input.idpGroups.map((g) => [g.name.trim().toLowerCase(), g]));
  const pairs = new Map<string, GroupPair>();
  const twins = new Set<string>();
  for (const scim of input.scimGroups) {
    const record = ownership.group(scim.id);
    const twin = byName.get(scim.displayName.trim().toLowerCase());
    if (twin) twins.add(twin.id);
    const id = record?.pair ?? scim.id;
    pairs.set(id, {
      id,
      name: record?.name ?? scim.displayName,
      description: record?.description ?? twin?.description ?? '',
      externalId: scim.externalId || record?.sourceId || null,
      idp: idpSide(scim, twin, input),
    });
  }
  return { pairs, twins };
}

/** The pair a local group is the companion of, if any. */
function companionTarget(record: GroupRecord | undefined, pairs: Map<string, GroupPair>, byExternal: Map<string, GroupPair>): GroupPair | undefined {
  if (!record?.owned) return undefined;
  const target = (record.pair ? pairs.get(record.pair) : undefined) ?? (record.sourceId ? byExternal.get(record.sourceId) : undefined);
  return target && !target.local ? target : undefined;
}

export function buildPairs(input: PairInput, ownership: Ownership): Map<string, GroupPair> {
  const { pairs, twins } = scimPairs(input, ownership);
  for (const group of input.idpGroups) {
    if (twins.has(group.id)) continue;
    const record = ownership.group(group.id);
    const members = input.membersOf(group.id);
    pairs.set(group.id, { id: group.id, name: group.name, description: group.description ?? '', externalId: record?.sourceId ?? null, idp: { group, members } });
  }
  const byExternal = new Map<string, GroupPair>();
  for (const pair of pairs.values()) if (pair.externalId && pair.idp?.scim) byExternal.set(pair.externalId, pair);
  for (const group of input.localGroups) {
    const record = ownership.group(group.id);
    const local: LocalSide = { group, members: input.membersOf(group.id) };
    const target = companionTarget(record, pairs, byExternal);
    if (target) {
      target.local = local;
      if (!ownership.group(target.idp?.scim?.id ?? target.id) && record) target.name = record.name;
      continue;
    }
    const id = record?.pair ?? group.id;
    pairs.set(id, { id, name: record?.name ?? group.name, description: record?.description ?? group.description ?? '', externalId: record?.sourceId ?? null, local });
  }
  return pairs;
}

/** Every account in either side of a pair. */
export function pairMembers(pair: GroupPair): Set<string> {
  return new Set([...(pair.idp?.members ?? []), ...(pair.local?.members ?? [])]);
}

/** Whether the sync created either side of the pair. */
export function pairOwned(pair: GroupPair, ownership: Ownership): boolean {
  const ids = [pair.idp?.scim?.id, pair.idp?.group?.id, pair.local?.group.id].filter((id): id is string => id !== undefined);
  return ids.some((id) => ownership.group(id)?.owned === true);
}
