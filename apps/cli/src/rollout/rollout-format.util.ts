import { assertUnreachable } from '@heliomesh/util';
import type { MetricVerdict, RolloutEvent, RolloutPhase, RolloutView } from '../api/api.types.js';
import { isTerminal } from '../api/api.types.js';
import { type Palette, stripAnsi, visibleWidth } from '../io/palette.util.js';

export function phaseText(phase: RolloutPhase, p: Palette): string {
  switch (phase) {
    case 'Succeeded':
      return p.green(phase);
    case 'RolledBack':
    case 'Failed':
    case 'Aborted':
    case 'RollingBack':
      return p.red(phase);
    case 'Paused':
      return p.yellow(phase);
    case 'Initializing':
    case 'Progressing':
    case 'Promoting':
      return p.cyan(phase);
    default:
      return assertUnreachable(phase, 'rollout phase');
  }
}

/** `[█████░░░░░]`; `#` and `-` when the output is not a terminal, so logs stay ASCII. */
export function bar(percent: number, width: number, unicode: boolean): string {
  const clamped = Math.max(0, Math.min(100, percent));
  const filled = Math.round((clamped / 100) * width);
  const [on, off] = unicode ? ['█', '░'] : ['#', '-'];
  return `[${on.repeat(filled)}${off.repeat(width - filled)}]`;
}

/** A measured value in its unit: `99.87 %`, `38 ms`. */
export function formatMeasured(value: number | null, unit: string): string {
  if (value === null) return 'no data';
  const digits = unit === '%' ? 2 : Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0;
  const n = Number(value.toFixed(digits)).toString();
  return unit ? `${n} ${unit}` : n;
}

function bound(v: MetricVerdict): string {
  const t = v.threshold;
  if (t.kind !== 'range') return `vs ${v.baseline ? 'baseline' : 'stable'}`;
  const parts: string[] = [];
  if (t.min !== undefined) parts.push(`≥ ${formatMeasured(t.min, t.unit)}`);
  if (t.max !== undefined) parts.push(`≤ ${formatMeasured(t.max, t.unit)}`);
  return parts.join(', ');
}

const MARK: Record<MetricVerdict['outcome'], string> = {
  pass: '✓',
  fail: '✗',
  'no-data': '…',
  'provider-error': '!',
};

/** `success-rate 99.9 % ✓ · latency-p99 38 ms ✓`, the last measurements at a glance. */
export function measurementsText(verdicts: readonly MetricVerdict[], p: Palette): string {
  return verdicts
    .map((v) => {
      const text = `${v.metric} ${formatMeasured(v.canary.value, v.threshold.unit)} ${MARK[v.outcome]}`;
      return v.outcome === 'pass' ? p.green(text) : v.outcome === 'fail' ? p.red(text) : p.yellow(text);
    })
    .join(p.dim(' · '));
}

/** The last analysis event that judged something (with verdicts), if any. */
export function lastAnalysis(events: readonly RolloutEvent[]): RolloutEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'analysis' && e.data.verdicts?.length) return e;
  }
  return undefined;
}

/**
 * One status line: versions, bar, weight, step, phase, last measurements. Cut to `columns` so
 * that a live line never wraps (a wrapped line cannot be redrawn in place). With `now`, the time
 * to the engine's next check, so a live line visibly moves while a step waits.
 */
export function progressLine(
  view: RolloutView,
  events: readonly RolloutEvent[],
  p: Palette,
  opts: { unicode: boolean; columns: number; now?: number },
): string {
  const next =
    opts.now !== undefined && view.nextTickAt
      ? Math.ceil((Date.parse(view.nextTickAt) - opts.now) / 1000)
      : undefined;
  const step = isTerminal(view.phase)
    ? 'done'
    : `step ${Math.min(view.step.index + 1, view.step.total)}/${view.step.total} ${view.step.description}${next !== undefined && next > 0 ? `, next check in ${next}s` : ''}`;
  const analysis = lastAnalysis(events);
  const parts = [
    `${view.service} ${view.stable}→${view.canary}`,
    bar(view.canaryWeight, 20, opts.unicode),
    `${String(view.canaryWeight).padStart(3)} %`,
    phaseText(view.phase, p),
    p.dim(step),
  ];
  const line = parts.join('  ');
  const withMeasurements = analysis ? `${line}  ${measurementsText(analysis.data.verdicts!, p)}` : line;
  const max = Math.max(20, opts.columns - 1);
  if (visibleWidth(withMeasurements) <= max) return withMeasurements;
  if (visibleWidth(line) <= max) return line;
  return `${[...stripAnsi(line)].slice(0, max - 1).join('')}…`;
}

/** One line per event worth a human's attention, as the watch prints them. */
export function eventLine(e: RolloutEvent, p: Palette): string | undefined {
  const time = e.occurredAt.slice(11, 19);
  switch (e.type) {
    case 'analysis': {
      const decision = e.data.decision ?? '';
      const verdicts = e.data.verdicts ?? [];
      const text = `${time} analysis at ${e.canaryWeight} %: ${decision}${verdicts.length ? ` (${measurementsText(verdicts, p)})` : ''}`;
      return decision === 'fail' ? p.red(text) : decision === 'hold' ? p.dim(text) : text;
    }
    case 'created':
    case 'transition':
    case 'step':
    case 'command':
    case 'pin':
    case 'gate':
    case 'webhook':
    case 'hold':
      return `${time} ${e.message}`;
    default:
      return undefined;
  }
}

/**
 * The decision and its evidence in one line: what happened, at what weight, and the
 * measurements that decided it against their bounds.
 */
export function verdictSummary(view: RolloutView, events: readonly RolloutEvent[], p: Palette): string {
  const name = `${view.namespace}/${view.service} ${view.canary}`;
  const judged = events.filter((e) => e.type === 'analysis' && e.data.decision && e.data.decision !== 'hold');
  const samples = Math.round(
    judged.reduce((n, e) => n + Math.max(0, ...(e.data.verdicts ?? []).map((v) => v.canary.samples ?? 0)), 0),
  );
  const last = lastAnalysis(events);
  const evidence = last
    ? last.data
        .verdicts!.map(
          (v) => `${v.metric} ${formatMeasured(v.canary.value, v.threshold.unit)} (needs ${bound(v)})`,
        )
        .join(', ')
    : 'no analysis ran';
  const runs = `${judged.length} analysis run${judged.length === 1 ? '' : 's'}, ${samples} canary requests judged`;
  const reason = view.phaseReason?.code ? ` (${view.phaseReason.code})` : '';
  switch (view.phase) {
    case 'Succeeded':
      return p.green(`✔ ${name} promoted to 100 %: ${evidence}; ${runs}.`);
    case 'RolledBack':
    case 'Failed':
      return p.red(
        `✘ ${name} ${view.phase === 'Failed' ? 'failed' : 'rolled back'}${last ? ` at ${last.canaryWeight} %` : ''}${reason}: ${evidence}; ${runs}.`,
      );
    case 'Aborted':
      return p.red(
        `✘ ${name} aborted${reason}: ${view.phaseReason?.message ?? 'by a command'} Traffic is back on ${view.stable}.`,
      );
    case 'Initializing':
    case 'Progressing':
    case 'Paused':
    case 'Promoting':
    case 'RollingBack':
      return `${name} is ${view.phase} at ${view.canaryWeight} % (${view.step.description}).`;
    default:
      return assertUnreachable(view.phase, 'rollout phase');
  }
}
