import { z } from 'zod';
import {
  dnsLabelSchema,
  durationSchema,
  percentageSchema,
  portNumberSchema,
  routeMatchSchema,
  versionNameSchema,
} from './common.schema.js';

/** RFC 6265 cookie-name characters (an HTTP token). */
const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

const nonEmpty = (what: string) => z.string().min(1, `${what} must not be empty`);

export const stickySchema = z
  .strictObject({
    cookie: z
      .strictObject({
        name: z.string().regex(COOKIE_NAME, "must be a cookie name (letters, digits and !#$%&'*+.^_`|~-)"),
        ttl: durationSchema,
      })
      .optional(),
    header: nonEmpty('header').optional(),
  })
  .refine((s) => (s.cookie === undefined) !== (s.header === undefined), {
    message: 'give exactly one of "cookie" or "header"',
  })
  .meta({
    description:
      'Session affinity. cookie: a client keeps the version it was first given (a Set-Cookie on the response, then a cookie match). header: requests with the same header value reach the same pod within a version (consistent hashing); the version is still drawn per request.',
  });

export const trafficSplitSpecSchema = z
  .strictObject({
    weights: z
      .array(z.strictObject({ version: versionNameSchema, weight: z.number().int() }))
      .min(1, 'give at least one version and its weight'),
    sticky: stickySchema.optional(),
  })
  .meta({ description: 'Relative weights across versions; the compiler scales them to sum to 100.' });

export const redirectSchema = z
  .strictObject({
    uri: z.string().optional(),
    authority: z.string().optional(),
    code: z.number().int().optional(),
  })
  .refine((r) => r.uri !== undefined || r.authority !== undefined, {
    message: 'a redirect needs "uri", "authority" or both',
  });

export const fullLinkSchema = z
  .strictObject({
    header: z.strictObject({ name: nonEmpty('header name'), value: nonEmpty('header value') }),
    services: z
      .array(
        z.strictObject({
          namespace: dnsLabelSchema.optional(),
          service: dnsLabelSchema,
          version: versionNameSchema,
        }),
      )
      .min(1, 'list at least one downstream service'),
  })
  .meta({
    description:
      'Full-link gray release: matching requests are tagged with this header at the entry service, and each listed downstream service routes tagged requests to its gray version. The applications must forward the header on their outgoing calls.',
  });

export const requestRoutingSpecSchema = z
  .strictObject({
    rules: z
      .array(
        z
          .strictObject({
            match: routeMatchSchema,
            version: versionNameSchema.optional(),
            redirect: redirectSchema.optional(),
          })
          .refine((r) => (r.version === undefined) !== (r.redirect === undefined), {
            message: 'a rule routes to a "version" or answers with a "redirect", exactly one of them',
          }),
      )
      .min(1, 'give at least one rule'),
    fullLink: fullLinkSchema.optional(),
  })
  .meta({ description: 'Ordered match rules, each sending matching requests to one version.' });

export const faultInjectionSpecSchema = z
  .strictObject({
    delay: z.strictObject({ fixedDelay: durationSchema, percentage: percentageSchema.optional() }).optional(),
    abort: z
      .strictObject({ httpStatus: z.number().int(), percentage: percentageSchema.optional() })
      .optional(),
    version: versionNameSchema.optional(),
  })
  .refine((f) => f.delay !== undefined || f.abort !== undefined, {
    message: 'a fault needs a "delay", an "abort" or both',
  })
  .meta({
    description:
      'Delay and/or abort a share of requests. With `version`, the matching route is sent to that version.',
  });

export const trafficMirrorSpecSchema = z
  .strictObject({
    destination: z
      .strictObject({
        version: versionNameSchema.optional(),
        service: z.strictObject({ name: dnsLabelSchema, namespace: dnsLabelSchema.optional() }).optional(),
        port: portNumberSchema.optional(),
      })
      .refine((d) => d.version !== undefined || d.service !== undefined, {
        message: 'mirror to a "version" of this service, another "service", or both',
      }),
    percentage: percentageSchema.optional(),
  })
  .meta({ description: 'Copy a share of requests to another version or service; responses are discarded.' });

export const timeoutSpecSchema = z
  .strictObject({ timeout: durationSchema })
  .meta({ description: 'Whole-request timeout, covering every retry and backoff.' });

export const retrySpecSchema = z
  .strictObject({
    attempts: z.number().int(),
    perTryTimeout: durationSchema.optional(),
    retryOn: z.array(nonEmpty('retryOn entry')).min(1).optional(),
    retryRemoteLocalities: z.boolean().optional(),
  })
  .meta({
    description:
      'Retries: attempts after the first try, an optional per-try timeout, and the conditions (Envoy retryOn tokens or HTTP status codes).',
  });

const headerOperationsSchema = z.strictObject({
  set: z.record(z.string().min(1), z.string()).optional(),
  add: z.record(z.string().min(1), z.string()).optional(),
  remove: z.array(z.string().min(1)).optional(),
});

export const headerPolicySpecSchema = z
  .strictObject({
    request: headerOperationsSchema.optional(),
    response: headerOperationsSchema.optional(),
  })
  .refine((h) => h.request !== undefined || h.response !== undefined, {
    message: 'give "request" or "response" header operations',
  })
  .meta({ description: 'Set, append or remove request and response headers.' });

export type StickySpec = z.infer<typeof stickySchema>;
export type TrafficSplitSpec = z.infer<typeof trafficSplitSpecSchema>;
export type RequestRoutingSpec = z.infer<typeof requestRoutingSpecSchema>;
export type RequestRoutingRule = RequestRoutingSpec['rules'][number];
export type RedirectSpec = z.infer<typeof redirectSchema>;
export type FullLinkSpec = z.infer<typeof fullLinkSchema>;
export type FaultInjectionSpec = z.infer<typeof faultInjectionSpecSchema>;
export type TrafficMirrorSpec = z.infer<typeof trafficMirrorSpecSchema>;
export type TimeoutSpec = z.infer<typeof timeoutSpecSchema>;
export type RetrySpec = z.infer<typeof retrySpecSchema>;
export type HeaderPolicySpec = z.infer<typeof headerPolicySpecSchema>;
export type HeaderOperations = z.infer<typeof headerOperationsSchema>;
