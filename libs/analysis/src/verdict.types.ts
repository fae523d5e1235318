/** The outcome of one metric in one analysis run. */
export type VerdictOutcome = 'pass' | 'fail' | 'no-data' | 'provider-error';

export type JudgeKind = 'threshold' | 'compare';

export interface SideSummary {
  /** The measured value (in `threshold.unit`), or null when there was none. */
  value: number | null;
  /** Requests behind the value, or null when unknown. */
  samples: number | null;
}

export type VerdictThreshold =
  | { kind: 'range'; min?: number; max?: number; unit: string }
  | {
      kind: 'compare';
      test: 'fisher-exact' | 'mann-whitney';
      /** The canary fails only when p < 1 - confidence ... */
      confidence: number;
      /** ... and the effect exceeds this (see `effectSize`). */
      tolerance: number;
      unit: string;
    };

/**
 * Everything needed to explain one judgement later (Argo's AR#1591 and AR#2658: show the
 * resolved query and the measured values), stored as is in the rollout's audit trail.
 */
export interface MetricVerdict {
  metric: string;
  judge: JudgeKind;
  /** The query window, e.g. `1m`. */
  window: string;
  /** The resolved PromQL, or the built-in query's name. */
  query: string;
  canary: SideSummary;
  baseline?: SideSummary;
  threshold: VerdictThreshold;
  /** The test's p-value (compare judges). */
  pValue?: number;
  /**
   * The effect the tolerance applies to: for error rates, canary minus baseline error rate in
   * percentage points; for latency, the probability that a canary request is slower than a
   * baseline request (0.5 = no difference).
   */
  effectSize?: number;
  outcome: VerdictOutcome;
  /** One sentence for a human. */
  explanation: string;
}
