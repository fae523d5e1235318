import { z } from 'zod';
import { DURATION_PATTERN } from '../duration.util.js';

/**
 * Building blocks shared by every policy kind. Schemas check shape and type only; whether a value
 * makes sense (a negative weight, a regex RE2 rejects, a CIDR that does not parse) is the job of
 * the validation catalogue in @heliomesh/istio, which reports it with a stable HM code.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const dnsLabelSchema = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(
    DNS_LABEL,
    'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
  )
  .meta({ description: 'A DNS-1123 label (lowercase alphanumerics and "-", at most 63 characters).' });

export const durationSchema = z
  .string()
  .regex(DURATION_PATTERN, 'must be a duration such as "250ms", "1.5s", "2m" or "1m30s"')
  .meta({ description: 'A duration: a number and a unit (ms, s, m, h), e.g. "250ms", "2s", "1m30s".' });

/** A percentage of requests, 0 to 100 with up to four decimals (range checked by HM1008). */
export const percentageSchema = z.number().meta({ description: 'A share of requests in percent, 0 to 100.' });

export const portNumberSchema = z
  .number()
  .int()
  .min(1, 'must be a port number between 1 and 65535')
  .max(65535, 'must be a port number between 1 and 65535');

/** `{ exact }`, `{ prefix }` or `{ regex }` (RE2 syntax, as Envoy uses), exactly one of them. */
export const stringMatchSchema = z
  .strictObject({
    exact: z.string().optional(),
    prefix: z.string().optional(),
    regex: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    const set = (['exact', 'prefix', 'regex'] as const).filter((k) => value[k] !== undefined);
    if (set.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: `give exactly one of "exact", "prefix" or "regex" (got ${set.length ? set.join(', ') : 'none'})`,
      });
  })
  .meta({ description: 'Exactly one of exact, prefix or regex (RE2 syntax).' });

export type StringMatch = z.infer<typeof stringMatchSchema>;

const stringMatchRecord = z.record(z.string().min(1), stringMatchSchema);

/**
 * One set of request conditions, all ANDed: Istio's HTTPMatchRequest without gateways (policies
 * bind to the mesh). `port` keeps the rule on one service port.
 */
export const routeMatchSchema = z
  .strictObject({
    uri: stringMatchSchema.optional(),
    ignoreUriCase: z.boolean().optional(),
    scheme: stringMatchSchema.optional(),
    method: stringMatchSchema.optional(),
    authority: stringMatchSchema.optional(),
    headers: stringMatchRecord.optional(),
    withoutHeaders: stringMatchRecord.optional(),
    queryParams: stringMatchRecord.optional(),
    port: portNumberSchema.optional(),
    sourceLabels: z.record(z.string().min(1), z.string()).optional(),
    sourceNamespace: z.string().optional(),
  })
  .meta({ description: 'Request conditions, all of which must hold (Istio HTTPMatchRequest).' });

export type RouteMatch = z.infer<typeof routeMatchSchema>;

/** Which traffic a policy governs: a service, optionally one of its ports and one route match. */
export const targetSchema = z
  .strictObject({
    cluster: dnsLabelSchema.optional(),
    namespace: dnsLabelSchema,
    service: dnsLabelSchema,
    port: portNumberSchema.optional(),
    match: routeMatchSchema.optional(),
  })
  .meta({
    description:
      'The service a policy applies to. Without `match` it covers every route of the service; with `match` only that route.',
  });

export type PolicyTarget = z.infer<typeof targetSchema>;

export const versionNameSchema = dnsLabelSchema.meta({
  description: 'A version of the service (a DestinationRule subset), e.g. "v2".',
});
