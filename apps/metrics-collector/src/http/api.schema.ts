import { SELECTOR_QUERY_METHODS } from '@heliomesh/metrics';
import { z } from 'zod';

/**
 * The internal API's inputs. Names follow Kubernetes' rules, so a value can never change the
 * shape of the PromQL built from it (the label matchers quote them anyway).
 */

/** A day: the longest window any query may ask for (the scrape provider keeps less; it says so). */
export const MAX_WINDOW_SECONDS = 86_400;
export const DEFAULT_WINDOW_SECONDS = 60;
export const DEFAULT_ROLLUP_LIMIT = 1_000;
export const MAX_ROLLUP_LIMIT = 10_000;
const DEFAULT_ROLLUP_SPAN_MS = 60 * 60_000;

const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

const namespace = z
  .string()
  .regex(DNS_LABEL, 'must be a Kubernetes namespace name (lowercase letters, digits and dashes, at most 63)');
const service = z
  .string()
  .regex(DNS_LABEL, 'must be a Kubernetes service name (lowercase letters, digits and dashes, at most 63)');
const workload = z
  .string()
  .regex(DNS_SUBDOMAIN, 'must be a Kubernetes workload name (lowercase letters, digits, dashes and dots)');
const version = z
  .string()
  .regex(LABEL_VALUE, 'must be a Kubernetes label value (letters, digits, "-", "_" and ".", at most 63)');

const windowSeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1 second')
  .max(MAX_WINDOW_SECONDS, `must be at most ${MAX_WINDOW_SECONDS} seconds (a day)`);

/** A query-string integer: digits only, so `1e3`, ` 5` and `0x10` are refused rather than guessed. */
const intParam = (schema: z.ZodNumber) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(schema);

/** V8 reads 2025-02-30 as March 2nd; a timestamp must name a day that exists. */
function isCalendarDate(v: string): boolean {
  const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d && !Number.isNaN(Date.parse(v));
}

const timestampParam = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/,
    'must be an RFC 3339 timestamp such as 2025-11-27T10:00:00Z',
  )
  .refine(isCalendarDate, 'must be a real date and time')
  .transform((v) => new Date(v));

export const scopeQuerySchema = z
  .strictObject({
    namespace: namespace.optional(),
    window: intParam(windowSeconds).optional(),
  })
  .transform((q) => ({
    scope: q.namespace === undefined ? {} : { namespace: q.namespace },
    windowSeconds: q.window ?? DEFAULT_WINDOW_SECONDS,
  }));

export const rollupQuerySchema = z
  .strictObject({
    namespace,
    service: service.optional(),
    version: version.optional(),
    from: timestampParam.optional(),
    to: timestampParam.optional(),
    limit: intParam(
      z
        .number()
        .int()
        .min(1, 'must be at least 1')
        .max(MAX_ROLLUP_LIMIT, `must be at most ${MAX_ROLLUP_LIMIT}`),
    ).optional(),
  })
  .transform((q, ctx) => {
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - DEFAULT_ROLLUP_SPAN_MS);
    if (from.getTime() >= to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before `to`' });
      return z.NEVER;
    }
    return {
      namespace: q.namespace,
      ...(q.service === undefined ? {} : { service: q.service }),
      ...(q.version === undefined ? {} : { version: q.version }),
      from,
      to,
      limit: q.limit ?? DEFAULT_ROLLUP_LIMIT,
    };
  });

const reporter = z.enum(['destination', 'source']);

export const meshSelectorSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('service'),
    namespace,
    service,
    version: version.optional(),
    reporter: reporter.optional(),
  }),
  z.strictObject({ kind: z.literal('workload'), namespace, workload, reporter: reporter.optional() }),
]);

export const collectorQuerySchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.enum(SELECTOR_QUERY_METHODS), selector: meshSelectorSchema, windowSeconds }),
  z.strictObject({
    method: z.literal('latencyQuantile'),
    selector: meshSelectorSchema,
    windowSeconds,
    q: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
  }),
  z.strictObject({
    method: z.literal('runQuery'),
    promql: z.string().min(1, 'must not be empty').max(16_384, 'must be at most 16,384 characters'),
  }),
]);
