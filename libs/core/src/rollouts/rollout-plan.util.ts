import { durationMs } from '@heliomesh/analysis';
import type { RouteMatch, StickySpec, StringMatch } from '@heliomesh/policy';
import { assertUnreachable } from '@heliomesh/util';
import type { CanaryStrategy, RolloutSpec } from './rollout-spec.schema.js';

/** What a rollout asks of the traffic layer at one point: the canary's share, a mirror, an A/B match. */
export interface RouteTarget {
  canaryWeight: number;
  mirrorPercent?: number;
  match?: RouteMatch;
}

/** A route as stored on the rollout and handed to the compiler (adds the sticky setting). */
export interface RolloutRouteState extends RouteTarget {
  sticky?: StickySpec;
}

/**
 * Every strategy becomes the same list of small steps, so one engine runs canaries, A/B tests,
 * blue/green and mirror phases. `source` is the JSON path of the spec field a step came from.
 */
export type PlanStep =
  | { kind: 'route'; route: RouteTarget; source: string }
  | { kind: 'pause'; durationMs: number | null; source: string }
  | { kind: 'analysis'; runs: number; source: string };

export interface RolloutPlan {
  steps: PlanStep[];
  /** Time between analysis runs, and the settle time after a route change. */
  intervalMs: number;
  /** Post-promotion analysis at 100 %; 0 for none. */
  bakeMs: number;
  sticky?: StickySpec;
}

const DEFAULT_INTERVAL_MS = 60_000;

function ms(duration: string | undefined): number | undefined {
  return duration === undefined ? undefined : durationMs(duration);
}

/** Expands a validated spec into its plan. Pure and total for every spec the schema accepts. */
export function planRollout(spec: RolloutSpec): RolloutPlan {
  const s = spec.strategy;
  const intervalMs =
    ms(spec.analysis?.interval) ?? (s.type === 'canary' ? ms(s.interval) : undefined) ?? DEFAULT_INTERVAL_MS;
  const base = { intervalMs, bakeMs: ms(spec.bake) ?? 0 };
  switch (s.type) {
    case 'canary': {
      const mirror: PlanStep[] = s.mirror
        ? [
            {
              kind: 'route',
              route: { canaryWeight: 0, mirrorPercent: s.mirror.percent },
              source: '$.strategy.mirror',
            },
            { kind: 'analysis', runs: s.mirror.iterations, source: '$.strategy.mirror.iterations' },
          ]
        : [];
      const sticky = s.sticky ? { sticky: { cookie: s.sticky.cookie } } : {};
      return {
        ...base,
        ...sticky,
        steps: [...mirror, ...canarySteps(s, intervalMs, spec.analysis !== undefined)],
      };
    }
    case 'ab':
      return {
        ...base,
        steps: [
          { kind: 'route', route: { canaryWeight: 0, match: abMatch(s.match) }, source: '$.strategy.match' },
          { kind: 'analysis', runs: s.iterations, source: '$.strategy.iterations' },
        ],
      };
    case 'blue-green':
      return {
        ...base,
        steps: [
          {
            kind: 'route',
            route: s.mirror ? { canaryWeight: 0, mirrorPercent: s.mirror.percent } : { canaryWeight: 0 },
            source: s.mirror ? '$.strategy.mirror' : '$.strategy',
          },
          { kind: 'analysis', runs: s.iterations, source: '$.strategy.iterations' },
        ],
      };
    default:
      return assertUnreachable(s, 'strategy type');
  }
}

function canarySteps(s: CanaryStrategy, intervalMs: number, analysed: boolean): PlanStep[] {
  if (s.steps)
    return s.steps.map((step, i): PlanStep => {
      const source = `$.strategy.steps[${i}]`;
      if (step.setWeight !== undefined)
        return { kind: 'route', route: { canaryWeight: step.setWeight }, source };
      if (step.pause) return { kind: 'pause', durationMs: ms(step.pause.duration) ?? null, source };
      return { kind: 'analysis', runs: step.analysis!.runs, source };
    });
  const out: PlanStep[] = [];
  const stepWeight = s.stepWeight!;
  for (let w = stepWeight; w <= s.maxWeight!; w += stepWeight) {
    out.push({ kind: 'route', route: { canaryWeight: w }, source: '$.strategy.stepWeight' });
    out.push(
      analysed
        ? { kind: 'analysis', runs: 1, source: '$.strategy.stepWeight' }
        : { kind: 'pause', durationMs: intervalMs, source: '$.strategy.interval' },
    );
  }
  return out;
}

/** Escapes text for a literal inside an RE2 pattern. */
function re2Literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The A/B match as an Istio match; a cookie becomes a regex on the Cookie header. */
export function abMatch(match: {
  headers?: Record<string, StringMatch>;
  cookie?: { name: string; value: string };
}): RouteMatch {
  const headers = { ...(match.headers ?? {}) };
  if (match.cookie)
    headers['cookie'] = {
      regex: `^(.*?;\\s*)?${re2Literal(match.cookie.name)}=${re2Literal(match.cookie.value)}(;.*)?$`,
    };
  return { headers };
}

/** The route in force at `stepIndex`: the last route step at or before it (weight 0 before any). */
export function routeAt(plan: RolloutPlan, stepIndex: number): RolloutRouteState {
  let route: RouteTarget = { canaryWeight: 0 };
  for (let i = 0; i <= Math.min(stepIndex, plan.steps.length - 1); i++) {
    const step = plan.steps[i]!;
    if (step.kind === 'route') route = step.route;
  }
  return withSticky(route, plan);
}

export function withSticky(route: RouteTarget, plan: RolloutPlan): RolloutRouteState {
  return plan.sticky ? { ...route, sticky: plan.sticky } : { ...route };
}

/**
 * How long to wait after the route step at `index` before the next tick: a full interval when an
 * analysis follows (its first window must hold traffic at the new route), else none.
 */
export function settleMs(plan: RolloutPlan, index: number): number {
  return plan.steps[index + 1]?.kind === 'analysis' ? plan.intervalMs : 0;
}

/** Human description of a step, for views and events. */
export function describeStep(step: PlanStep | undefined): string {
  if (!step) return 'promotion';
  switch (step.kind) {
    case 'route': {
      const r = step.route;
      const parts = [`canary ${r.canaryWeight} %`];
      if (r.mirrorPercent !== undefined) parts.push(`mirror ${r.mirrorPercent} %`);
      if (r.match) parts.push('A/B match');
      return `set route: ${parts.join(', ')}`;
    }
    case 'pause':
      return step.durationMs === null ? 'pause until resumed' : `pause ${step.durationMs / 1000}s`;
    case 'analysis':
      return `analysis: ${step.runs} passing run${step.runs === 1 ? '' : 's'}`;
    default:
      return assertUnreachable(step, 'plan step');
  }
}

/**
 * Least time left from `stepIndex` to the end of promotion, assuming every analysis passes at
 * once: null when an indefinite pause lies ahead.
 */
export function remainingMs(plan: RolloutPlan, stepIndex: number, bake: boolean): number | null {
  let total = 0;
  for (let i = stepIndex; i < plan.steps.length; i++) {
    const step = plan.steps[i]!;
    if (step.kind === 'pause') {
      if (step.durationMs === null) return null;
      total += step.durationMs;
    } else if (step.kind === 'analysis') total += (step.runs - 1) * plan.intervalMs;
    else total += settleMs(plan, i);
  }
  return total + plan.intervalMs + (bake ? plan.bakeMs : 0);
}
