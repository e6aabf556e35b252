/**
 * Numbers as reports show them: integers exactly, others to 6 significant digits, so that float noise
 * (0.020000000000000018) does not reach the user.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

/**
 * `value <= limit`, forgiving float noise: a metric of 0.83 against a minimum of 0.85 with a 0.02 margin
 * computes a miss of 0.020000000000000018, which the user rightly reads as "within the margin".
 */
export function atMost(value: number, limit: number): boolean {
  return value <= limit + 1e-9 * Math.max(1, Math.abs(limit));
}
