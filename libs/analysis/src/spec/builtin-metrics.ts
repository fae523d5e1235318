/** The metrics every rollout can use without writing PromQL (Flagger's two built-ins). */
export const BUILTIN_METRICS = {
  'request-success-rate': {
    unit: '%',
    description:
      "Percent of the canary's requests not answered with a 5xx (Flagger's request-success-rate; a 403 or 429 counts as success). Threshold: min, e.g. 99. Compare: a one-sided Fisher exact test on 5xx counts against the baseline.",
    /** Allowed error-rate increase over the baseline, in percentage points, for `compare`. */
    defaultTolerance: 0.1,
  },
  'request-duration': {
    unit: 'ms',
    description:
      "The canary's latency quantile in milliseconds (p99 by default; Flagger's request-duration). Threshold: max, e.g. 500. Compare: a one-sided Mann-Whitney U test on the latency histograms against the baseline.",
    /** Allowed excess of P(canary request slower than a baseline one) over 0.5, for `compare`. */
    defaultTolerance: 0.06,
  },
} as const;

export type BuiltinMetricKind = keyof typeof BUILTIN_METRICS;

/**
 * Variables a custom PromQL template may use. The rollout engine fills every one of them (see
 * `templateVariables`), so a template that passed validation always renders.
 */
export const TEMPLATE_VARIABLES = [
  'namespace',
  'service',
  'version',
  'canary',
  'stable',
  'interval',
  'target',
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface TemplateContext {
  namespace: string;
  service: string;
  canaryVersion: string;
  stableVersion: string;
  /** The canary's workload (Deployment) name: `{{ target }}`, as in Flagger. */
  canaryWorkload: string;
  /** The metric's window, e.g. `1m`: `{{ interval }}`. */
  window: string;
}

/** The values for a custom template, measuring `side` (its version is `{{ version }}`). */
export function templateVariables(
  ctx: TemplateContext,
  side: 'canary' | 'stable' = 'canary',
): Record<TemplateVariable, string> {
  return {
    namespace: ctx.namespace,
    service: ctx.service,
    version: side === 'canary' ? ctx.canaryVersion : ctx.stableVersion,
    canary: ctx.canaryVersion,
    stable: ctx.stableVersion,
    interval: ctx.window,
    target: ctx.canaryWorkload,
  };
}

/** `{{ name }}` placeholders, and anything between `{{` and `}}` that is not a plain name. */
export function templatePlaceholders(template: string): { names: string[]; malformed: string[] } {
  const names: string[] = [];
  const malformed: string[] = [];
  for (const m of template.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const inner = m[1]!.trim();
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) names.push(inner);
    else malformed.push(m[0]);
  }
  if (/\{\{(?![^{}]*\}\})/.test(template)) malformed.push('{{ without a closing }}');
  return { names, malformed };
}
