/**
 * Names of every Redis key orgsync writes, under one prefix wrapped in a hash tag (`{orgsync}`),
 * so BullMQ's queue keys and these keys all hash to one Redis Cluster slot and multi-key scripts
 * and transactions work there too. In: the configured prefix. Out: key names; nothing is read.
 */
export type StateSide = 'source' | 'org';

export class Keys {
  /** The hash-tagged prefix, also BullMQ's `prefix` option. */
  readonly root: string;

  constructor(prefix: string) {
    this.root = `{${prefix}}`;
  }

  /** Hash: `meta` (JSON), `version`, `plan` (the plan document, JSON). */
  plan(id: string): string {
    return `${this.root}:plan:${id}`;
  }

  /** Hash: operation id -> result JSON; the apply journal of one plan. */
  planResults(id: string): string {
    return `${this.root}:plan:${id}:results`;
  }

  /** Sorted set of one profile's plan ids, scored by creation time (ms). */
  profilePlans(profile: string): string {
    return `${this.root}:plans:${profile}`;
  }

  /** Set of the profiles that have plans. */
  planProfiles(): string {
    return `${this.root}:plans`;
  }

  /** Hash of a profile's durable source or org adapter state. */
  state(profile: string, side: StateSide): string {
    return `${this.root}:state:${profile}:${side}`;
  }

  /** List of a profile's run records, newest first (capped). */
  runs(profile: string): string {
    return `${this.root}:runs:${profile}`;
  }

  /** Hash of per-profile bookkeeping (`lastFullAt`, the streak of incomplete source reads). */
  profile(profile: string): string {
    return `${this.root}:profile:${profile}`;
  }

  /** Hash of flags requested by on-demand resyncs not yet taken up by a run. */
  pending(profile: string): string {
    return `${this.root}:pending:${profile}`;
  }

  /** String (JSON, with a TTL): a console session that is signed in; deleted when it signs out. */
  session(id: string): string {
    return `${this.root}:session:${id}`;
  }

  /** List of operators' actions on a profile (approve, reject, resync), newest first (capped). */
  audit(profile: string): string {
    return `${this.root}:audit:${profile}`;
  }

  /** The lock that keeps two runs of one profile apart. */
  lock(profile: string): string {
    return `${this.root}:lock:${profile}`;
  }
}
