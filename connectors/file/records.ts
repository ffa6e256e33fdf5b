/**
 * Turning raw directory records (from a JSON file or CSV rows) into a `Snapshot`, with every
 * record it cannot use reported as a `ReadIssue` that names the file and the record's position.
 *
 * In: raw values, each with its position (`users[3]`, `line 7`). Out: `finish()` gives the snapshot.
 *
 * What counts as incomplete: a user or group record that cannot be read (no id, or fields of the
 * wrong type) may stand for someone or something that exists. Reading it as absent could
 * deprovision that person or delete that group, so such a record sets `complete: false`: the plan
 * then creates and updates but never removes. Records that can be read but carry something odd (an
 * unknown key, a member naming nobody) are reported and the rest is used.
 *
 * Two records with the same id are both passed on, never one picked by its position: the issue
 * names both places (`src/util/duplicate-ids.ts`), and the reconcile core plans nothing for that id.
 */
import { z } from 'zod';
import { keyPath } from '../../src/config/validate.js';
import type { ReadIssue, Snapshot, SourceGroup, SourceUser } from '../../src/model/directory.js';
import { duplicateIdIssues } from '../../src/util/duplicate-ids.js';

const text = z.string();

const userFields = z.object({
  email: z.string().nullable().optional(),
  userName: text.optional(),
  displayName: text.optional(),
  givenName: text.optional(),
  familyName: text.optional(),
  active: z.boolean().default(true),
  attributes: z.record(z.string(), z.string()).default({}),
});

const groupFields = z.object({
  displayName: text.optional(),
  description: text.default(''),
  members: z.array(z.string()).default([]),
});

const USER_KEYS = new Set(['id', ...Object.keys(userFields.shape)]);
const GROUP_KEYS = new Set(['id', ...Object.keys(groupFields.shape)]);

type Fields = Record<string, unknown>;

interface Placed<T> {
  value: T;
  at: string;
}

export class DirectoryBuilder {
  private readonly users: Placed<SourceUser>[] = [];
  private readonly groups: Placed<SourceGroup>[] = [];
  private readonly userIds = new Set<string>();
  private readonly groupIds = new Set<string>();
  private readonly issues: ReadIssue[] = [];
  private complete: boolean;

  /** `file` prefixes every issue message; `complete` is what the file itself declares. */
  constructor(
    private readonly file: string,
    complete = true,
  ) {
    this.complete = complete;
  }

  /** Note a problem with the file as a whole or one record; `incomplete` also marks the snapshot. */
  issue(code: string, message: string, subject?: string, incomplete = false): void {
    this.issues.push({ code, message: `${this.file}: ${message}`, ...(subject === undefined ? {} : { subject }) });
    if (incomplete) this.complete = false;
  }

  addUser(raw: unknown, at: string): void {
    const record = this.identify(raw, at, 'user', USER_KEYS);
    if (!record) return;
    const parsed = userFields.safeParse(record.fields);
    if (!parsed.success) return this.unreadable(parsed.error, record.id, at);
    const f = parsed.data;
    const user: SourceUser = { id: record.id, email: f.email ?? null, active: f.active, attributes: f.attributes };
    for (const key of ['userName', 'displayName', 'givenName', 'familyName'] as const) if (f[key] !== undefined) user[key] = f[key];
    this.users.push({ value: user, at });
    this.userIds.add(user.id);
  }

  /** `flags.undescribed`: the format carries no descriptions (see `SourceGroup`). */
  addGroup(raw: unknown, at: string, flags: { undescribed?: boolean } = {}): void {
    const record = this.identify(raw, at, 'group', GROUP_KEYS);
    if (!record) return;
    const parsed = groupFields.safeParse(record.fields);
    if (!parsed.success) return this.unreadable(parsed.error, record.id, at);
    const f = parsed.data;
    const group: SourceGroup = { id: record.id, displayName: f.displayName ?? record.id, description: f.description, members: f.members };
    // Without a displayName the source knows the group by its id only: it is never renamed to it.
    if (f.displayName === undefined) group.unnamed = true;
    if (flags.undescribed) group.undescribed = true;
    this.groups.push({ value: group, at });
    this.groupIds.add(record.id);
  }

  /** Resolve group members and return the snapshot; members naming nobody are dropped and reported. */
  finish(): Snapshot {
    for (const issue of duplicateIdIssues(this.users, (p) => p.value.id, (p) => p.at, 'user')) this.issue(issue.code, issue.message, issue.subject);
    for (const issue of duplicateIdIssues(this.groups, (p) => p.value.id, (p) => p.at, 'group')) this.issue(issue.code, issue.message, issue.subject);
    const groups: SourceGroup[] = [];
    for (const { value: group, at } of this.groups) {
      if (this.userIds.has(group.id)) {
        this.issue('duplicate-id', `${at}: group id "${group.id}" is also a user id; members naming it are read as the user`, group.id);
      }
      const members = group.members.filter((member, i) => {
        const known = this.userIds.has(member) || this.groupIds.has(member);
        if (!known) this.issue('unknown-member', `${at}.members[${i}]: "${member}" names no user or group`, group.id);
        return known;
      });
      groups.push({ ...group, members });
    }
    return {
      complete: this.complete,
      users: this.users.map((p) => p.value),
      groups,
      issues: this.issues,
    };
  }

  /** The record's id and its other fields, or undefined (reported) when it has no usable id. */
  private identify(raw: unknown, at: string, what: string, known: Set<string>): { id: string; fields: Fields } | undefined {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.issue('invalid-record', `${at}: expected a ${what} object`, at, true);
      return undefined;
    }
    const { id, ...fields } = raw as Fields;
    if (typeof id !== 'string' || id.trim() === '') {
      const why = id === undefined || id === '' ? 'record has no "id"' : `"id" must be a non-empty string, got ${JSON.stringify(id)}`;
      this.issue('record-without-id', `${at}: ${why}`, at, true);
      return undefined;
    }
    const unknown = Object.keys(fields).filter((key) => !known.has(key));
    if (unknown.length > 0) {
      this.issue('unknown-key', `${at} (id "${id}"): unknown key ${unknown.map((k) => `"${k}"`).join(', ')} ignored`, id);
    }
    return { id, fields };
  }

  private unreadable(error: z.ZodError, id: string, at: string): void {
    const first = error.issues[0]!;
    const key = first.path.length > 0 ? `.${keyPath(first.path)}` : '';
    this.issue('invalid-record', `${at} (id "${id}")${key}: ${first.message}; record not read`, id, true);
  }
}
