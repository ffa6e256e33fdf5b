/**
 * Client-side pacing: at most `perSecond` requests start per second, and when a server says its
 * budget is spent (remaining 0 with a reset time) every caller waits for the reset.
 */
import { sleep } from './retry.js';

export class Pacer {
  private readonly intervalMs: number;
  private nextSlot = 0;
  private pausedUntil = 0;

  constructor(perSecond: number) {
    this.intervalMs = perSecond > 0 ? 1000 / perSecond : 0;
  }

  /** Resolve when the caller may start its request. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const start = Math.max(now, this.nextSlot, this.pausedUntil);
    this.nextSlot = start + this.intervalMs;
    if (start > now) await sleep(start - now, signal);
  }

  /** Hold every caller until `untilMs` (epoch ms). */
  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }
}
