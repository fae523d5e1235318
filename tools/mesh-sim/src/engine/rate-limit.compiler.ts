import {
  localRateLimitSchema,
  type EnvoyFilterSpec,
  type LocalRateLimitConfig,
} from '../config/extensions.schema.js';
import { parseDurationMs } from '../util/duration.util.js';
import type { SpecProblem } from './validation.types.js';

/**
 * EnvoyFilter local rate limits in the canonical shapes of istio-semantics §4.1: an HTTP_FILTER
 * patch inserting `envoy.filters.http.local_ratelimit` on SIDECAR_INBOUND, optionally with
 * HTTP_ROUTE patches carrying a per-route config for vhost `inbound|http|<port>`.
 */
export interface CompiledRateLimit {
  /** Bucket identity within a pod: each filter and per-route config has its own bucket (§4.2). */
  id: string;
  /** `id` plus the bucket settings: a changed bucket starts afresh (full), as Envoy's would. */
  bucketKey: string;
  port: number | undefined;
  maxTokens: number;
  tokensPerFill: number;
  fillIntervalMs: number;
  enabled: number;
  enforced: number;
  status: number;
}

export interface CompiledEnvoyFilter {
  uid: string;
  name: string;
  namespace: string;
  selector: Readonly<Record<string, string>> | undefined;
  /** True when the filter chain gets a local_ratelimit filter from this EnvoyFilter. */
  insertsFilter: boolean;
  filterLimits: CompiledRateLimit[];
  routeLimits: CompiledRateLimit[];
  /** Patches that are not a local rate limit: recorded, not simulated. */
  ignoredPatches: number;
}

const FILTER_NAME = 'envoy.filters.http.local_ratelimit';
const INBOUND_CONTEXTS = new Set(['SIDECAR_INBOUND', 'ANY', undefined]);
const STATUS_NAMES: Record<string, number> = {
  TooManyRequests: 429,
  ServiceUnavailable: 503,
  Forbidden: 403,
};
const DENOMINATORS = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 } as const;

export function compileEnvoyFilter(
  spec: EnvoyFilterSpec,
  meta: { uid: string; name: string; namespace: string },
  problems: SpecProblem[],
): CompiledEnvoyFilter {
  const out: CompiledEnvoyFilter = {
    ...meta,
    selector: spec.workloadSelector?.labels,
    insertsFilter: false,
    filterLimits: [],
    routeLimits: [],
    ignoredPatches: 0,
  };
  spec.configPatches.forEach((patch, i) => {
    const value = asRecord(patch.patch?.value);
    const inbound = INBOUND_CONTEXTS.has(patch.match?.context);
    if (patch.applyTo === 'HTTP_FILTER' && inbound && value?.['name'] === FILTER_NAME) {
      out.insertsFilter = true;
      const config = localRateLimitOf(
        value['typed_config'],
        ['configPatches', i, 'patch', 'value', 'typed_config'],
        problems,
      );
      const limit = config && toLimit(config, `${meta.uid}#${i}`, undefined, problems, i);
      if (limit) out.filterLimits.push(limit);
      return;
    }
    const perFilter = asRecord(value?.['typed_per_filter_config'])?.[FILTER_NAME];
    if (patch.applyTo === 'HTTP_ROUTE' && inbound && perFilter !== undefined) {
      const vhost = patch.match?.routeConfiguration?.vhost?.name ?? '';
      const port = /^inbound\|http\|(\d+)$/.exec(vhost)?.[1];
      const path = ['configPatches', i, 'patch', 'value', 'typed_per_filter_config', FILTER_NAME];
      const config = localRateLimitOf(perFilter, path, problems);
      const limit =
        config && toLimit(config, `${meta.uid}#${i}`, port ? Number(port) : undefined, problems, i);
      if (limit) out.routeLimits.push(limit);
      return;
    }
    out.ignoredPatches++;
  });
  return out;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Accepts the TypedStruct wrapper (`udpa.type.v1` / `xds.type.v3`) or a direct LocalRateLimit Any. */
function localRateLimitOf(
  typed: unknown,
  path: Array<string | number>,
  problems: SpecProblem[],
): LocalRateLimitConfig | undefined {
  const record = asRecord(typed);
  if (!record) return undefined;
  const type = String(record['@type'] ?? '');
  const body = type.endsWith('TypedStruct') ? record['value'] : record;
  const parsed = localRateLimitSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    problems.push({ path: [...path, ...(issue.path as Array<string | number>)], message: issue.message });
    return undefined;
  }
  return parsed.data;
}

function toLimit(
  config: LocalRateLimitConfig,
  id: string,
  port: number | undefined,
  problems: SpecProblem[],
  patchIndex: number,
): CompiledRateLimit | undefined {
  const bucket = config.token_bucket;
  if (!bucket) return undefined;
  const fillIntervalMs = parseDurationMs(bucket.fill_interval);
  if (fillIntervalMs === undefined || fillIntervalMs <= 0) {
    problems.push({
      path: ['configPatches', patchIndex, 'patch', 'value'],
      message: 'token_bucket.fill_interval must be a positive duration',
    });
    return undefined;
  }
  const fraction = (p: LocalRateLimitConfig['filter_enabled']): number => {
    const v = p?.default_value;
    return v ? Math.min(1, v.numerator / DENOMINATORS[v.denominator]) : 0;
  };
  const code = config.status?.code;
  const status = typeof code === 'number' ? code : (STATUS_NAMES[code ?? ''] ?? 429);
  return {
    id,
    bucketKey: `${id}|${bucket.max_tokens}|${bucket.tokens_per_fill}|${fillIntervalMs}`,
    port,
    maxTokens: bucket.max_tokens,
    tokensPerFill: bucket.tokens_per_fill,
    fillIntervalMs,
    // §4.2: filter_enabled and filter_enforced default to 0%.
    enabled: fraction(config.filter_enabled),
    enforced: fraction(config.filter_enforced),
    // §4.2: values below 400 become 429.
    status: status < 400 ? 429 : status,
  };
}
