import type { MetricVerdict } from './verdict.types.js';

/** One analysis run: the verdicts of every metric at one step tick. */
export interface AnalysisRun {
  verdicts: readonly MetricVerdict[];
}

export interface AssessOptions {
  /** A metric that failed more than this many runs fails the analysis (Argo's failureLimit). */
  failureLimit: number;
  /** Count only each metric's current streak of failures (a pass resets it). Default false: all runs. */
  consecutive?: boolean;
  /** After this many runs in a row in which a metric had no data, pause for a human. */
  noDataLimit?: number;
}

/**
 * What the step does next:
 * - `continue`: every metric passed in the latest run; advance.
 * - `hold`: stay at this step and analyse again (a failure within the limit, or no data yet).
 * - `pause`: stop and alert a human (the metrics provider failed, or data never arrived).
 * - `fail`: the failure limit is exceeded; apply the rollout's onFailure.
 */
export type StepDecision = 'continue' | 'hold' | 'pause' | 'fail';

export interface Assessment {
  decision: StepDecision;
  /** Failures counted per metric (all runs, or the current streak with `consecutive`). */
  failures: Record<string, number>;
  /** The metrics behind the decision. */
  metrics: string[];
  /** One sentence for a human. */
  reason: string;
}

function trailing(runs: readonly AnalysisRun[], metric: string, outcome: string): number {
  let n = 0;
  for (let i = runs.length - 1; i >= 0; i--) {
    const v = runs[i]!.verdicts.find((x) => x.metric === metric);
    if (!v) continue;
    if (v.outcome !== outcome) break;
    n++;
  }
  return n;
}

function countFailures(runs: readonly AnalysisRun[], consecutive: boolean): Record<string, number> {
  const failures: Record<string, number> = {};
  for (const run of runs) {
    for (const v of run.verdicts) {
      failures[v.metric] ??= 0;
      // no-data and provider-error neither count nor break a streak: they say nothing of the canary.
      if (v.outcome === 'fail') failures[v.metric]!++;
      else if (v.outcome === 'pass' && consecutive) failures[v.metric] = 0;
    }
  }
  return failures;
}

const list = (names: string[]) => names.join(', ');

/**
 * Decides a step's outcome from the run history, oldest first, as Argo Rollouts'
 * assessMetricStatus does, with one difference that matters: no-data and provider errors are
 * never failed checks. No data holds (and pauses after `noDataLimit` runs); a provider error
 * pauses at once.
 */
export function assessAnalysis(runs: readonly AnalysisRun[], options: AssessOptions): Assessment {
  const failures = countFailures(runs, options.consecutive ?? false);
  const latest = runs[runs.length - 1];
  const decide = (decision: StepDecision, metrics: string[], reason: string): Assessment => ({
    decision,
    failures,
    metrics,
    reason,
  });
  const overLimit = Object.keys(failures).filter((m) => failures[m]! > options.failureLimit);
  if (overLimit.length) {
    const counts = overLimit.map((m) => `${m} failed ${failures[m]} times`).join(', ');
    return decide(
      'fail',
      overLimit,
      `The analysis failed: ${counts}, more than the failure limit of ${options.failureLimit}.`,
    );
  }
  if (!latest) return decide('hold', [], 'No analysis has run yet.');
  const by = (outcome: string) => latest.verdicts.filter((v) => v.outcome === outcome).map((v) => v.metric);
  const errored = by('provider-error');
  if (errored.length) {
    return decide(
      'pause',
      errored,
      `Paused: the metrics provider failed for ${list(errored)}; fix the provider and resume (this is not a failed check).`,
    );
  }
  const noData = by('no-data');
  if (options.noDataLimit !== undefined) {
    const starved = noData.filter((m) => trailing(runs, m, 'no-data') >= options.noDataLimit!);
    if (starved.length) {
      return decide(
        'pause',
        starved,
        `Paused: no data for ${list(starved)} in the last ${options.noDataLimit} runs; check that traffic reaches the canary.`,
      );
    }
  }
  const failed = by('fail');
  if (failed.length) {
    const counts = failed.map((m) => `${m} ${failures[m]} of ${options.failureLimit} allowed`).join(', ');
    return decide(
      'hold',
      failed,
      `Holding: failed check${failed.length > 1 ? 's' : ''} within the limit (${counts}).`,
    );
  }
  if (noData.length) {
    return decide('hold', noData, `Holding: not enough data yet for ${list(noData)}.`);
  }
  return decide(
    'continue',
    latest.verdicts.map((v) => v.metric),
    latest.verdicts.length ? 'Every metric passed.' : 'No metrics to analyse.',
  );
}
