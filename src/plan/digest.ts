/**
 * The whole-plan digest: `sha256:` and the SHA-256 of the plan's canonical JSON without the
 * `digest` field. `assemblePlan` sets it; `apply` computes it again and refuses a plan whose
 * digest does not match, so a plan file changed after it was made is never applied.
 *
 * The digest is a plain hash, not a signature: it shows a plan was changed, and anyone can make a
 * new one. What stops a forged plan is what `apply` checks against the world: the org's state
 * (fingerprint, linked users) and each operation's precondition.
 */
import type { Plan } from '../model/plan.js';
import { hashOf } from './fingerprint.js';

export const DIGEST_PREFIX = 'sha256:';

export function planDigest(plan: Omit<Plan, 'digest'> & { digest?: string }): string {
  const { digest: _digest, ...content } = plan;
  return `${DIGEST_PREFIX}${hashOf(content)}`;
}
