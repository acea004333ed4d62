// How fast leadership moves. A dead leader's lease runs out after LEASE_TTL_MS; the standbys, which
// poll no slower than RENEW_EVERY_MS and wake right at the expiry they were told, take over then.
// The leader itself stops leading SAFETY_MARGIN_MS before its lease could have expired in the store
// (counted from when its last successful renewal was sent), so two leaders never overlap.

export interface LeaseTiming {
  /** How long an acquisition or renewal holds the lease in the store. */
  ttlMs: number;
  /** How often the holder renews (and a standby retries, at most). */
  renewEveryMs: number;
  /** The holder stops leading this long before its lease could expire in the store. */
  safetyMarginMs: number;
}

export const DEFAULT_LEASE_TIMING: Readonly<LeaseTiming> = Object.freeze({
  ttlMs: 3_000,
  renewEveryMs: 1_000,
  safetyMarginMs: 500,
});

/** A bad timing is a programming error: renewals must land well before the lease could run out. */
export function resolveLeaseTiming(partial: Partial<LeaseTiming> = {}): LeaseTiming {
  const timing = { ...DEFAULT_LEASE_TIMING, ...partial };
  const { ttlMs, renewEveryMs, safetyMarginMs } = timing;
  for (const [name, value] of Object.entries(timing)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`lease timing: ${name} must be > 0`);
  }
  if (renewEveryMs + safetyMarginMs >= ttlMs) {
    throw new RangeError('lease timing: renewEveryMs + safetyMarginMs must be < ttlMs');
  }
  return timing;
}
