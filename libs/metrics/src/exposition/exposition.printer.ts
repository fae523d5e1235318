import type { ExpositionSample, MetricFamily } from './exposition.types.js';

function escapeLabelValue(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c));
}

function escapeHelp(v: string): string {
  return v.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** Formats a value so `parsePrometheusText` reads back the same number (including -0). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

export function formatSample(s: ExpositionSample): string {
  const labels = Object.keys(s.labels)
    .map((k) => `${k}="${escapeLabelValue(s.labels[k]!)}"`)
    .join(',');
  const ts = s.timestampMs === undefined ? '' : ` ${s.timestampMs}`;
  return `${s.name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}${ts}`;
}

/** Prints families in text format 0.0.4 (the inverse of `parsePrometheusText`). */
export function printPrometheusText(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    if (f.help !== undefined) out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    out.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) out.push(formatSample(s));
  }
  return out.length ? out.join('\n') + '\n' : '';
}
