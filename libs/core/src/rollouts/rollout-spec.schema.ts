import { analysisSpecSchema, durationMs } from '@heliomesh/analysis';
import { dnsLabelSchema, stringMatchSchema, versionNameSchema } from '@heliomesh/policy';
import { z } from 'zod';

/** Whole seconds from 1 s to 24 h: `2s`, `1m`, `1h30m`. */
export const rolloutDurationSchema = z
  .string()
  .refine(
    (v) => {
      const ms = durationMs(v);
      return ms !== undefined && ms >= 1_000 && ms % 1_000 === 0 && ms <= 86_400_000;
    },
    { message: 'Expected whole seconds between 1s and 24h, such as 30s, 1m or 1h30m.' },
  )
  .meta({ description: 'A duration in whole seconds: 30s, 1m, 1h30m.' });

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 6265 cookie-octets: no spaces, quotes, commas, semicolons or backslashes. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;

const cookieName = z.string().max(128).regex(COOKIE_NAME, {
  message: "Expected a cookie name (letters, digits and !#$%&'*+.^_`|~-).",
});

const stepSchema = z
  .strictObject({
    setWeight: z.int().min(0).max(100).optional(),
    pause: z.strictObject({ duration: rolloutDurationSchema.optional() }).optional(),
    analysis: z.strictObject({ runs: z.int().min(1).max(1_000).default(1) }).optional(),
  })
  .refine((s) => [s.setWeight, s.pause, s.analysis].filter((x) => x !== undefined).length === 1, {
    message:
      'A step is exactly one of { setWeight: N }, { pause: { duration? } } or { analysis: { runs? } }.',
  })
  .meta({
    description:
      'setWeight sends N % of the default route to the canary; pause waits for a duration, or without one until resumed or promoted; analysis waits for `runs` passing analysis runs.',
  });

const mirrorPhaseSchema = z.strictObject({
  /** Share of live traffic copied to the canary. */
  percent: z.number().gt(0).max(100),
  /** Passing analysis runs on the mirrored traffic before the canary gets a real share. */
  iterations: z.int().min(1).max(1_000),
});

const canaryStrategySchema = z.strictObject({
  type: z.literal('canary'),
  steps: z.array(stepSchema).min(1).max(200).optional(),
  /** Shorthand (Flagger): weights stepWeight, 2 x stepWeight, ... up to maxWeight, one interval each. */
  stepWeight: z.int().min(1).max(100).optional(),
  maxWeight: z.int().min(1).max(100).optional(),
  interval: rolloutDurationSchema.optional(),
  /** A mirror phase before any real share: the canary gets a copy of live traffic, analysed. */
  mirror: mirrorPhaseSchema.optional(),
  /** A user who saw the canary keeps seeing it (cookie set by the proxy). */
  sticky: z
    .strictObject({ cookie: z.strictObject({ name: cookieName, ttl: rolloutDurationSchema }) })
    .optional(),
});

const abStrategySchema = z.strictObject({
  type: z.literal('ab'),
  /** Requests matching all of these go to the canary; everything else stays on stable. */
  match: z
    .strictObject({
      headers: z.record(z.string().min(1).max(256), stringMatchSchema).optional(),
      cookie: z
        .strictObject({ name: cookieName, value: z.string().max(1024).regex(COOKIE_VALUE) })
        .optional(),
    })
    .refine((m) => m.headers !== undefined || m.cookie !== undefined, {
      message: 'Give headers, a cookie or both.',
    }),
  /** Passing analysis runs before promotion. */
  iterations: z.int().min(1).max(1_000),
});

const blueGreenStrategySchema = z.strictObject({
  type: z.literal('blue-green'),
  /** Passing analysis runs before all traffic switches to the canary. */
  iterations: z.int().min(1).max(1_000),
  /** Mirror this share of live traffic to the canary while it is analysed. */
  mirror: z.strictObject({ percent: z.number().gt(0).max(100) }).optional(),
});

export const WEBHOOK_TYPES = [
  'pre-rollout',
  'rollout',
  'confirm-promotion',
  'post-rollout',
  'rollback',
] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];
/** Hooks whose failure holds the rollout; the others are notifications. */
export const GATE_WEBHOOKS: readonly WebhookType[] = ['pre-rollout', 'rollout', 'confirm-promotion'];

const webhookSchema = z.strictObject({
  name: dnsLabelSchema,
  type: z.enum(WEBHOOK_TYPES),
  url: z.url({ protocol: /^https?$/, error: 'Expected an http:// or https:// URL.' }).max(2_048),
  timeout: rolloutDurationSchema
    .refine((v) => (durationMs(v) ?? 0) <= 60_000, { message: 'A webhook timeout is at most 60s.' })
    .default('5s'),
  retries: z.int().min(0).max(10).default(2),
  metadata: z.record(z.string().min(1).max(64), z.string().max(1_024)).optional(),
});

export const rolloutSpecSchema = z
  .strictObject({
    target: z.strictObject({
      cluster: dnsLabelSchema.optional(),
      namespace: dnsLabelSchema,
      service: dnsLabelSchema,
    }),
    /** The version serving users now. */
    stable: versionNameSchema,
    /** The version being rolled out. */
    canary: versionNameSchema,
    strategy: z.discriminatedUnion('type', [canaryStrategySchema, abStrategySchema, blueGreenStrategySchema]),
    analysis: analysisSpecSchema.optional(),
    /** What a failed analysis does: roll back, pause with traffic on stable, or freeze the split as it is. */
    onFailure: z.enum(['rollback', 'pause', 'freeze']).default('rollback'),
    /** Keep analysing this long at 100 % and roll back on regression. */
    bake: rolloutDurationSchema.optional(),
    webhooks: z.array(webhookSchema).max(20).default([]),
  })
  .superRefine((spec, ctx) => {
    const issue = (path: Array<string | number>, message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (spec.canary === spec.stable)
      issue(['canary'], 'The canary must be another version than the stable one.');
    for (const problem of crossFieldProblems(spec)) issue(problem.path, problem.message);
  });

export type RolloutSpec = z.output<typeof rolloutSpecSchema>;
export type RolloutSpecInput = z.input<typeof rolloutSpecSchema>;
export type RolloutWebhook = RolloutSpec['webhooks'][number];
export type CanaryStrategy = z.output<typeof canaryStrategySchema>;
export type RolloutStep = NonNullable<CanaryStrategy['steps']>[number];

type SpecDraft = Omit<RolloutSpec, 'canary' | 'stable' | 'target'>;

/** Rules that span fields: what needs an analysis spec, shorthand completeness, unique names. */
function crossFieldProblems(spec: SpecDraft): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  const needsAnalysis = (path: Array<string | number>, what: string) => {
    if (!spec.analysis) out.push({ path, message: `${what} needs an analysis spec (add "analysis").` });
  };
  const s = spec.strategy;
  if (s.type === 'canary') {
    if ((s.steps === undefined) === (s.stepWeight === undefined))
      out.push({ path: ['strategy'], message: 'Give either steps or the shorthand stepWeight/maxWeight.' });
    if (s.stepWeight !== undefined) {
      if (s.maxWeight === undefined)
        out.push({ path: ['strategy', 'maxWeight'], message: 'The shorthand needs maxWeight.' });
      else if (s.maxWeight < s.stepWeight)
        out.push({ path: ['strategy', 'maxWeight'], message: 'maxWeight must be at least stepWeight.' });
      if (s.interval === undefined && !spec.analysis)
        out.push({
          path: ['strategy', 'interval'],
          message: 'The shorthand needs an interval (or an analysis).',
        });
    } else if (s.maxWeight !== undefined || s.interval !== undefined)
      out.push({ path: ['strategy'], message: 'maxWeight and interval belong to the stepWeight shorthand.' });
    if (
      s.interval !== undefined &&
      spec.analysis?.interval !== undefined &&
      spec.analysis.interval !== s.interval
    )
      out.push({
        path: ['strategy', 'interval'],
        message: `The interval is set twice (${s.interval} here, ${spec.analysis.interval} in analysis); set it in one place.`,
      });
    s.steps?.forEach((step, i) => {
      if (step.analysis) needsAnalysis(['strategy', 'steps', i, 'analysis'], 'An analysis step');
    });
    if (s.mirror) needsAnalysis(['strategy', 'mirror'], 'A mirror phase');
  } else {
    needsAnalysis(['strategy'], s.type === 'ab' ? 'An A/B test' : 'A blue/green rollout');
    if (
      s.type === 'ab' &&
      s.match.cookie &&
      s.match.headers &&
      Object.keys(s.match.headers).some(isCookieHeader)
    )
      out.push({
        path: ['strategy', 'match', 'cookie'],
        message: 'Match the cookie with "cookie" or with a "cookie" header, not both.',
      });
  }
  if (spec.bake !== undefined) needsAnalysis(['bake'], 'A bake');
  const seen = new Map<string, number>();
  spec.webhooks.forEach((w, i) => {
    const first = seen.get(w.name);
    if (first !== undefined)
      out.push({
        path: ['webhooks', i, 'name'],
        message: `Webhook name "${w.name}" is used by webhooks[${first}].`,
      });
    else seen.set(w.name, i);
  });
  return out;
}

function isCookieHeader(name: string): boolean {
  return name.toLowerCase() === 'cookie';
}
