/**
 * The shortest time Okta's rate-limit windows allow for a read, given how many requests it made
 * per endpoint family. Windows are fixed and aligned (as the emulator keeps them): a family can
 * spend what is left of the current window at once, then `perWindow` more at each reset. A family's
 * minimum is the start of the last window it needs (relative to the read's start) plus its
 * requests in that window at full concurrency; the read's minimum is the largest family minimum.
 * Requests answered before the read (`earlier`, epoch ms `at`) count against the first window.
 */
export interface WindowRules {
  perWindow: number;
  windowMs: number;
  latencyMs: number;
  concurrency: number;
}

export function familyMinimumMs(requests: number, usedBefore: number, startedAt: number, rules: WindowRules): number {
  const firstStart = Math.floor(startedAt / rules.windowMs) * rules.windowMs;
  const available = Math.max(0, rules.perWindow - usedBefore);
  const burst = (n: number) => (Math.ceil(n / rules.concurrency) * rules.latencyMs);
  if (requests <= available) return burst(requests);
  const extraWindows = Math.ceil((requests - available) / rules.perWindow);
  const lastStart = firstStart + extraWindows * rules.windowMs;
  const inLast = requests - available - (extraWindows - 1) * rules.perWindow;
  return lastStart - startedAt + burst(inLast);
}

export function minimumSeconds(byFamily: Record<string, number>, log: ReadonlyArray<{ family: string; at: number }>, startedAt: number, rules: WindowRules): number {
  const firstStart = Math.floor(startedAt / rules.windowMs) * rules.windowMs;
  let longest = 0;
  for (const [family, requests] of Object.entries(byFamily)) {
    const usedBefore = log.filter((r) => r.family === family && r.at >= firstStart && r.at < startedAt).length;
    longest = Math.max(longest, familyMinimumMs(requests, usedBefore, startedAt, rules));
  }
  return longest / 1000;
}
