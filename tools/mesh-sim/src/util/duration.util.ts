/**
 * Durations as Istio accepts them in YAML (`10s`, `1.5s`, `100ms`, `1m30s`, `2h`), returned in
 * milliseconds. Protobuf's own JSON form (`1.000340s`) is a special case of the same grammar.
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Parses a duration; `undefined` when the text is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  if (text === '' || text.length > 64) return undefined;
  let pos = 0;
  let total = 0;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  return total;
}

/**
 * istio-semantics §1.9 / §2.5: durations must be at least 1 ms and have millisecond precision.
 * Returns the reason a duration is rejected, or undefined when it is valid.
 */
export function durationProblem(ms: number | undefined): string | undefined {
  if (ms === undefined) return 'is not a duration (use forms like 500ms, 10s, 1m)';
  if (ms < 1) return 'must be at least 1ms';
  if (Math.abs(ms - Math.round(ms)) > 1e-9) return 'must have millisecond precision';
  return undefined;
}

/** Formats milliseconds the way the README and errors show durations. */
export function formatDurationMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0 && ms > 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
