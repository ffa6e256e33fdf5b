/**
 * Deterministic tenants of N users and G groups for the Graph emulator: every `guestEvery`-th
 * user is a B2B guest (`#EXT#` UPN, partner mail), every `disabledEvery`-th is disabled, every
 * `noMailEvery`-th has no `mail`; each group has about `membersPerGroup` direct user members and
 * every `nestEvery`-th group also contains the next group.
 */
import { Tenant, type GroupData, type UserData } from './tenant.js';

export interface SeedOptions {
  users: number;
  groups: number;
  membersPerGroup?: number;
  guestEvery?: number;
  disabledEvery?: number;
  noMailEvery?: number;
  nestEvery?: number;
  domain?: string;
}

const DEPARTMENTS = ['R&D', 'Sales', 'Finance', 'Support', 'Legal'];

function every(n: number | undefined, i: number): boolean {
  return n !== undefined && n > 0 && i % n === n - 1;
}

export function seedTenant(options: SeedOptions, tenant = new Tenant(options.domain)): { tenant: Tenant; users: UserData[]; groups: GroupData[] } {
  const users: UserData[] = [];
  for (let i = 0; i < options.users; i++) {
    const department = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const extra = { accountEnabled: !every(options.disabledEvery, i), department, jobTitle: `Engineer ${i % 7}` };
    if (every(options.guestEvery, i)) users.push(tenant.addGuest(`guest${i}@partner.example`, extra));
    else if (every(options.noMailEvery, i)) users.push(tenant.addUser({ ...extra, mail: null }));
    else users.push(tenant.addUser(extra));
  }
  const groups: GroupData[] = [];
  const per = Math.min(options.membersPerGroup ?? 20, users.length);
  for (let g = 0; g < options.groups; g++) {
    const members = Array.from({ length: per }, (_, k) => users[(g * per + k) % users.length]!.id);
    groups.push(tenant.addGroup({ displayName: `Group ${g}`, description: `Seeded group ${g}`, members }));
  }
  for (let g = 0; g + 1 < groups.length; g++) if (every(options.nestEvery, g)) tenant.addMember(groups[g]!.id, groups[g + 1]!.id);
  return { tenant, users, groups };
}
