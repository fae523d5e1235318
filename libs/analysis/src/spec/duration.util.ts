/** Durations as rollout specs and PromQL write them: `30s`, `1m`, `1h30m`, `500ms`. */
export const DURATION_PATTERN = /^(?:\d+(?:ms|s|m|h))+$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a duration, or `undefined` when it is not one. */
export function durationMs(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Whole seconds in a duration (what providers take as a window), or `undefined`. */
export function durationSeconds(text: string): number | undefined {
  const ms = durationMs(text);
  return ms === undefined || ms % 1000 !== 0 ? undefined : ms / 1000;
}
