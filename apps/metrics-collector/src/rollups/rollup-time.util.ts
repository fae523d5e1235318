/**
 * Time arithmetic for rollups, all in UTC: a rollup belongs to the minute it starts in, and a
 * minute to the daily partition of its UTC day.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The partition table of one UTC day, e.g. `metric_rollups_p20251127`. */
const PARTITION = /^metric_rollups_p(\d{4})(\d{2})(\d{2})$/;

export function minuteStart(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** `YYYYMMDD` of the UTC day holding `ms`. */
export function dayKey(ms: number): string {
  return new Date(dayStart(ms)).toISOString().slice(0, 10).replaceAll('-', '');
}

export function partitionName(dayMs: number): string {
  return `metric_rollups_p${dayKey(dayMs)}`;
}

/** The UTC day (its start, in ms) a partition holds, or `undefined` when the name is not one of ours. */
export function partitionDay(name: string): number | undefined {
  const m = PARTITION.exec(name);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return partitionName(ms) === name ? ms : undefined;
}

/** Days (starts, in ms) that must have a partition: today and `ahead` more. */
export function daysToPrepare(nowMs: number, ahead: number): number[] {
  const today = dayStart(nowMs);
  return Array.from({ length: ahead + 1 }, (_, i) => today + i * DAY_MS);
}

/**
 * Whether a day's partition has aged out: it is dropped once every minute in it is more than
 * `retentionDays` whole days before today, so at least `retentionDays` full days stay queryable.
 */
export function isExpired(dayMs: number, nowMs: number, retentionDays: number): boolean {
  return dayMs < dayStart(nowMs) - retentionDays * DAY_MS;
}

/** Milliseconds until the next minute boundary plus `offsetMs` (never 0, so a timer cannot spin). */
export function delayToNextRun(nowMs: number, offsetMs: number): number {
  const next = minuteStart(nowMs - offsetMs) + MINUTE_MS + offsetMs;
  return Math.max(1, next - nowMs);
}
