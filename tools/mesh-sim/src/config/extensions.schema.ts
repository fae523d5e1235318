import { z } from 'zod';

/** EnvoyFilter (only the local rate limit shape of istio-semantics §4.1) and WasmPlugin (§4.4). */

export const envoyFilterSpecSchema = z.looseObject({
  workloadSelector: z.looseObject({ labels: z.record(z.string(), z.string()).optional() }).optional(),
  targetRefs: z.array(z.unknown()).optional(),
  priority: z.number().int().optional(),
  configPatches: z
    .array(
      z.looseObject({
        applyTo: z.string().optional(),
        match: z
          .looseObject({
            context: z.string().optional(),
            listener: z.unknown().optional(),
            routeConfiguration: z
              .looseObject({
                vhost: z
                  .looseObject({
                    name: z.string().optional(),
                    route: z
                      .looseObject({ action: z.string().optional(), name: z.string().optional() })
                      .optional(),
                  })
                  .optional(),
              })
              .optional(),
          })
          .optional(),
        patch: z.looseObject({ operation: z.string().optional(), value: z.unknown().optional() }).optional(),
      }),
    )
    .default([]),
});
export type EnvoyFilterSpec = z.output<typeof envoyFilterSpecSchema>;

const fractionalPercent = z.looseObject({
  numerator: z.number().int().min(0).default(0),
  denominator: z.enum(['HUNDRED', 'TEN_THOUSAND', 'MILLION']).default('HUNDRED'),
});
const runtimeFractionalPercent = z.looseObject({ default_value: fractionalPercent.optional() });

/** envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit, snake_case as in EnvoyFilter values. */
export const localRateLimitSchema = z.looseObject({
  stat_prefix: z.string().optional(),
  status: z.looseObject({ code: z.union([z.number().int(), z.string()]).optional() }).optional(),
  token_bucket: z
    .looseObject({
      max_tokens: z.number().int().min(1),
      tokens_per_fill: z.number().int().min(1).default(1),
      fill_interval: z.string(),
    })
    .optional(),
  filter_enabled: runtimeFractionalPercent.optional(),
  filter_enforced: runtimeFractionalPercent.optional(),
  local_rate_limit_per_downstream_connection: z.boolean().optional(),
});
export type LocalRateLimitConfig = z.output<typeof localRateLimitSchema>;

export const wasmPluginSpecSchema = z.looseObject({
  selector: z.looseObject({ matchLabels: z.record(z.string(), z.string()).optional() }).optional(),
  targetRefs: z.array(z.unknown()).optional(),
  url: z.string().min(1),
  sha256: z.string().optional(),
  pluginName: z.string().optional(),
  pluginConfig: z.unknown().optional(),
  phase: z.enum(['UNSPECIFIED_PHASE', 'AUTHN', 'AUTHZ', 'STATS']).default('UNSPECIFIED_PHASE'),
  priority: z.number().int().optional(),
  failStrategy: z.enum(['FAIL_CLOSE', 'FAIL_OPEN', 'FAIL_RELOAD']).default('FAIL_CLOSE'),
  type: z.enum(['UNSPECIFIED_PLUGIN_TYPE', 'HTTP', 'NETWORK']).default('HTTP'),
  match: z
    .array(
      z.looseObject({
        mode: z.enum(['UNDEFINED', 'CLIENT', 'SERVER', 'CLIENT_AND_SERVER']).optional(),
        ports: z.array(z.looseObject({ number: z.number().int() })).optional(),
      }),
    )
    .optional(),
});
export type WasmPluginSpec = z.output<typeof wasmPluginSpecSchema>;
