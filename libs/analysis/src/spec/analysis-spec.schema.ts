import { HeliomeshError, formatJsonPath, type JsonPath } from '@heliomesh/util';
import { z } from 'zod';
import { TEMPLATE_VARIABLES, templatePlaceholders } from './builtin-metrics.js';
import { DURATION_PATTERN, durationMs } from './duration.util.js';

const MAX_WINDOW_MS = 24 * 3_600_000;

const duration = z
  .string()
  .regex(DURATION_PATTERN, { message: 'Expected a duration such as 30s, 1m or 1h30m.' })
  .refine(
    (v) => {
      const ms = durationMs(v);
      return ms !== undefined && ms >= 1000 && ms % 1000 === 0 && ms <= MAX_WINDOW_MS;
    },
    { message: 'Expected whole seconds between 1s and 24h.' },
  );

function thresholdJudgeSchema(typeError?: string) {
  return z
    .strictObject({
      type: z.literal('threshold', typeError === undefined ? undefined : { error: typeError }),
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .refine((j) => j.min !== undefined || j.max !== undefined, {
      message: 'A threshold judge needs min, max or both.',
    })
    .refine((j) => j.min === undefined || j.max === undefined || j.min <= j.max, {
      message: 'min must not be greater than max.',
    });
}

const thresholdJudge = thresholdJudgeSchema();

const compareJudge = z.strictObject({
  type: z.literal('compare'),
  /** Fail only when the test's p-value is below 1 - confidence. */
  confidence: z.number().gt(0.5).lt(1).default(0.98),
  /** The effect allowed even when significant; the default depends on the metric. */
  tolerance: z.number().min(0).optional(),
});

const judge = z.discriminatedUnion('type', [thresholdJudge, compareJudge]);

const common = {
  name: z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
      message: 'Expected a lowercase name of letters, digits and dashes (at most 63).',
    }),
  /** The query window; defaults to the analysis window, then the interval. */
  window: duration.optional(),
  /** Overrides the analysis' minRequests for this metric. */
  minRequests: z.int().min(0).max(1_000_000_000).optional(),
};

const successRateMetric = z.strictObject({
  ...common,
  kind: z.literal('request-success-rate'),
  judge,
});

const durationMetric = z.strictObject({
  ...common,
  kind: z.literal('request-duration'),
  quantile: z.number().gt(0).lt(1).default(0.99),
  judge,
});

const customMetric = z.strictObject({
  ...common,
  kind: z.literal('custom'),
  /** PromQL with {{ variables }}; must return one number. Runs on the Prometheus provider only. */
  query: z.string().min(1).max(10_000),
  unit: z.string().max(20).default(''),
  judge: thresholdJudgeSchema(
    'A custom metric supports only the threshold judge: compare needs request counts or histograms (use request-success-rate or request-duration).',
  ),
});

const metric = z.discriminatedUnion('kind', [successRateMetric, durationMetric, customMetric]);

export const analysisSpecSchema = z
  .strictObject({
    /** Time between analysis runs (one step tick). */
    interval: duration.default('1m'),
    /** Default query window of every metric; defaults to the interval. */
    window: duration.optional(),
    /** Below this many requests in a window a metric is no-data (hold), never a failure. */
    minRequests: z.int().min(0).max(1_000_000_000).default(100),
    /** A metric failing more than this many runs fails the analysis (Argo's failureLimit). */
    failureLimit: z.int().min(0).max(1000).default(1),
    /** Count only the current streak of failures instead of all of them. */
    consecutive: z.boolean().default(false),
    /** After this many runs in a row without data, pause for a human instead of holding on. */
    noDataLimit: z.int().min(1).max(10_000).optional(),
    metrics: z.array(metric).min(1).max(32),
  })
  .superRefine((spec, ctx) => {
    const seen = new Map<string, number>();
    spec.metrics.forEach((m, i) => {
      const first = seen.get(m.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', i, 'name'],
          message: `Metric name "${m.name}" is already used by metrics[${first}].`,
        });
      } else seen.set(m.name, i);
      if (m.kind === 'request-success-rate' && m.judge.type === 'threshold') {
        for (const bound of ['min', 'max'] as const) {
          const v = m.judge[bound];
          if (v !== undefined && (v < 0 || v > 100)) {
            ctx.addIssue({
              code: 'custom',
              path: ['metrics', i, 'judge', bound],
              message: 'A success rate is a percentage: use a value between 0 and 100.',
            });
          }
        }
      }
      if (m.kind === 'custom') {
        const { names, malformed } = templatePlaceholders(m.query);
        const known = new Set<string>(TEMPLATE_VARIABLES);
        const unknown = [...new Set(names.filter((n) => !known.has(n)))];
        if (malformed.length || unknown.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['metrics', i, 'query'],
            message: `${
              unknown.length
                ? `Unknown template variable${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `{{ ${n} }}`).join(', ')}`
                : `Malformed placeholder ${malformed[0]}`
            }; known variables: ${TEMPLATE_VARIABLES.join(', ')}.`,
          });
        }
      }
    });
  });

/** A validated analysis spec, defaults applied. */
export type AnalysisSpec = z.output<typeof analysisSpecSchema>;
/** What a user writes (defaults optional). */
export type AnalysisSpecInput = z.input<typeof analysisSpecSchema>;
export type AnalysisMetric = AnalysisSpec['metrics'][number];

/**
 * Validates the analysis part of a rollout spec. Throws `HeliomeshError` 400
 * `ANALYSIS_SPEC_INVALID` with the first problem's JSON path (under `path`) and every problem in
 * `details`.
 */
export function parseAnalysisSpec(input: unknown, path: JsonPath = []): AnalysisSpec {
  const result = analysisSpecSchema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    code: 'ANALYSIS_SPEC_INVALID',
    path: formatJsonPath([...path, ...(issue.path as Array<string | number>)]),
    message: issue.message,
  }));
  const first = details[0]!;
  throw new HeliomeshError({
    code: 'ANALYSIS_SPEC_INVALID',
    status: 400,
    message: `Invalid analysis spec at ${first.path}: ${first.message}`,
    path: first.path,
    details,
  });
}

/** The analysis spec's JSON Schema (what users may write, defaults shown), for docs and editors. */
export function analysisSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(analysisSpecSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
