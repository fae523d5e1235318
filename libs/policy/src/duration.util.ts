/**
 * Durations as users and Istio write them: Go-style `1h`, `5m`, `1.5s`, `250ms`, or a sum such as
 * `1m30s`. Istio accepts this form in every duration field of a VirtualService or DestinationRule.
 */
export const DURATION_PATTERN = /^(?:\d{1,9}(?:\.\d{1,9})?(?:ms|h|m|s))+$/;

const COMPONENT = /(\d{1,9}(?:\.\d{1,9})?)(ms|h|m|s)/g;

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds in a duration string, or undefined when it is not one (never throws). */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(COMPONENT)) total += Number(amount) * UNIT_MS[unit!]!;
  // Round away binary noise (0.1s is 100.00000000000001 ms) without hiding real sub-ms precision.
  return Math.round(total * 1e6) / 1e6;
}

/**
 * The one spelling the compiler emits for a whole number of milliseconds, so equal durations
 * always produce equal bytes: whole hours, minutes or seconds when exact, else milliseconds.
 */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`not a whole, non-negative ms: ${ms}`);
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
