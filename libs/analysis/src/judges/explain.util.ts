import { assertUnreachable } from '@heliomesh/util';
import type { MetricMeasurement } from '../measurement.types.js';

/** Number formatting for explanations: fixed locale, so stored sentences are reproducible. */
const decimal = (digits: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

export function formatCount(n: number): string {
  return decimal(0).format(Math.round(n));
}

export function formatValue(v: number, unit: string): string {
  switch (unit) {
    case '%':
      return `${decimal(2).format(v)} %`;
    case 'ms':
      return `${decimal(Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0).format(v)} ms`;
    case 'points':
      return `${decimal(2).format(v)} points`;
    default:
      return unit ? `${decimal(4).format(v)} ${unit}` : decimal(4).format(v);
  }
}

export function formatP(p: number): string {
  if (p === 0) return '< 1e-300';
  return p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}

export function formatShare(p: number): string {
  return `${decimal(0).format(p * 100)} %`;
}

/** Why no verdict could be reached, for a measurement that is not a value; undefined otherwise. */
export function notAValue(
  m: MetricMeasurement<unknown>,
  what: string,
  window: string,
): { outcome: 'no-data' | 'provider-error'; explanation: string } | undefined {
  switch (m.kind) {
    case 'value':
      return undefined;
    case 'no-data':
      return {
        outcome: 'no-data',
        explanation: `No data for ${what} in the last ${window} (${m.reason}); the step holds until traffic arrives.`,
      };
    case 'provider-error':
      return {
        outcome: 'provider-error',
        explanation: `The metrics provider could not answer for ${what} (${m.error.code ? `${m.error.code}: ` : ''}${m.error.message}); the analysis pauses and alerts instead of counting a failed check.`,
      };
    default:
      return assertUnreachable(m, 'measurement');
  }
}

/** The first provider error among measurements, else the first no-data, else undefined. */
export function firstProblem(
  parts: ReadonlyArray<[MetricMeasurement<unknown>, string]>,
  window: string,
): { outcome: 'no-data' | 'provider-error'; explanation: string } | undefined {
  for (const [m, what] of parts) if (m.kind === 'provider-error') return notAValue(m, what, window);
  for (const [m, what] of parts) if (m.kind === 'no-data') return notAValue(m, what, window);
  return undefined;
}

export function tooFewRequests(who: string, requests: number, minRequests: number, window: string): string {
  return `The ${who} served ${formatCount(requests)} requests in ${window}, fewer than the ${formatCount(minRequests)} required; the step holds until there is enough traffic.`;
}
