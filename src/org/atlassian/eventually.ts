/**
 * Waiting for Atlassian's searches to catch up: a fresh invitee or a group SCIM just created may be
 * absent from the org API's search for a while after the write was answered (unverified how long).
 * `eventually` asks again with a growing pause (100 ms doubling, at most 5 s apart) until the answer
 * comes or `boundMs` has passed; it never waits when the first answer is there.
 */
import { sleep } from '../../http/retry.js';

export async function eventually<T>(ask: () => Promise<T | undefined>, boundMs: number, now: () => number = Date.now): Promise<T | undefined> {
  const deadline = now() + boundMs;
  let pause = 100;
  for (;;) {
    const answer = await ask();
    if (answer !== undefined) return answer;
    const left = deadline - now();
    if (left <= 0) return undefined;
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, 5000);
  }
}
