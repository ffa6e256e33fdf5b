/**
 * The one error the emulator's model throws: an HTTP status, the detail text Atlassian would put in
 * the answer, and for SCIM the RFC 7644 `scimType`. The HTTP layers render it in their API's shape
 * (org API: `{ errors: [{ id, status, code, title, detail }] }`; SCIM: `{ schemas, status, scimType, detail }`).
 */

/** Org API error codes (jira.js `src/admin/models/apiError.ts` lists `ADMIN-UAM-*` codes and titles). */
const ORG_CODES: Record<number, { code: string; title: string }> = {
  400: { code: 'ADMIN-UAM-400-1', title: 'Bad Request' },
  401: { code: 'ADMIN-UAM-401-1', title: 'Unauthenticated' },
  404: { code: 'ADMIN-UAM-404-1', title: 'Unknown Resource' },
  409: { code: 'ADMIN-UAM-409-2', title: 'Resource Conflicts' },
  429: { code: 'ADMIN-UAM-429-1', title: 'Too Many Requests' },
  500: { code: 'ADMIN-UAM-500-1', title: 'Internal Error' },
};

export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue';

export class ModelError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    /** An org API code more precise than the status's default (e.g. `ADMIN-UAM-404-3` Group Not Found). */
    readonly code?: { code: string; title: string },
  ) {
    super(detail);
  }
}

export const GROUP_NOT_FOUND = { code: 'ADMIN-UAM-404-3', title: 'Group Not Found' };
export const INVALID_ROLE = { code: 'ADMIN-UAM-400-3', title: 'Invalid Role for Resource' };

let errorCounter = 0;

export function orgErrorBody(status: number, detail: string, code?: { code: string; title: string }): unknown {
  errorCounter += 1;
  const known = code ?? ORG_CODES[status] ?? { code: `ADMIN-UAM-${status}-1`, title: 'Error' };
  return { errors: [{ id: `err-${errorCounter}`, status: String(status), code: known.code, title: known.title, detail }] };
}

export function scimErrorBody(status: number, detail: string, scimType?: ScimType): unknown {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), ...(scimType ? { scimType } : {}), detail };
}
