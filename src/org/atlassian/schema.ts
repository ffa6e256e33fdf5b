/**
 * Atlassian's SCIM user schema (user provisioning API: the core user plus the enterprise and
 * `atlassian-external` extensions): the profile attributes a managed account can carry. There is
 * no `userType`, `locale`, `profileUrl`, `division`, `costCenter` or `employeeNumber`; a policy
 * that manages one of those is refused when the config is loaded, naming the attribute.
 */
import type { Policy } from '../../model/policy.js';
import { supportedAttributes, type ScimSchema } from '../scim/map.js';

export const ATLASSIAN_SCHEMA: ScimSchema = {
  name: "Atlassian's SCIM",
  core: new Set(['title', 'nickName', 'preferredLanguage', 'timezone']),
  enterprise: new Set(['department', 'organization']),
};

/** The first managed attribute Atlassian has no field for, as a problem naming it; undefined when all fit. */
export function checkAttributes(policy: Policy): { key: string; message: string } | undefined {
  const supported = new Set(supportedAttributes(ATLASSIAN_SCHEMA));
  const unknown = policy.attributes.filter((name) => !supported.has(name));
  if (unknown.length === 0) return undefined;
  const list = unknown.map((name) => `"${name}"`).join(', ');
  return { key: 'attributes', message: `attribute ${list} has no field in Atlassian's SCIM user schema (supported: ${[...supported].join(', ')})` };
}
