/**
 * Reconnect delays: exponential with "full jitter" (a random point in [base, cap]), so that
 * a server restart is not met by every phone reconnecting in the same instant.
 */

export interface BackoffOptions {
  /** First delay's upper bound, ms. */
  baseMs?: number;
  /** Largest delay, ms. */
  maxMs?: number;
}

/** Delay before reconnect attempt `attempt` (0 = first retry); `random` in [0, 1). */
export function backoffDelay(attempt: number, random: number = Math.random(),
                             { baseMs = 500, maxMs = 30_000 }: BackoffOptions = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  // Never below a fraction of base: an immediate retry storm helps nobody.
  const floor = Math.min(ceiling, baseMs / 2);
  return Math.round(floor + (ceiling - floor) * Math.min(Math.max(random, 0), 1));
}
