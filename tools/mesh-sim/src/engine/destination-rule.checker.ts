import type { DestinationRuleSpec, PolicyBlocks, TrafficPolicy } from '../config/networking.schema.js';
import { durationProblem, parseDurationMs } from '../util/duration.util.js';
import { DNS_LABEL, exportToProblems, type SpecCheck, type SpecProblem } from './validation.types.js';

/** What istiod rejects in a DestinationRule (istio-semantics §2.5), one check per rule. */

type Path = ReadonlyArray<string | number>;

function duration(value: string | undefined, path: Path): SpecProblem[] {
  if (value === undefined) return [];
  const problem = durationProblem(parseDurationMs(value));
  return problem ? [{ path, message: `duration ${problem}` }] : [];
}

function nonNegative(value: number | undefined, path: Path): SpecProblem[] {
  return value !== undefined && value < 0 ? [{ path, message: 'must not be negative' }] : [];
}

function percent(value: number | undefined, path: Path): SpecProblem[] {
  return value !== undefined && (value < 0 || value > 100)
    ? [{ path, message: 'must be between 0 and 100' }]
    : [];
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
  return true;
}

function blockProblems(policy: PolicyBlocks, path: Path): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const pool = policy.connectionPool;
  if (pool) {
    if (!pool.tcp && !pool.http)
      problems.push({
        path: [...path, 'connectionPool'],
        message: 'connectionPool needs tcp or http settings',
      });
    problems.push(
      ...nonNegative(pool.tcp?.maxConnections, [...path, 'connectionPool', 'tcp', 'maxConnections']),
    );
    problems.push(
      ...duration(pool.tcp?.connectTimeout, [...path, 'connectionPool', 'tcp', 'connectTimeout']),
    );
    for (const key of [
      'http1MaxPendingRequests',
      'http2MaxRequests',
      'maxRequestsPerConnection',
      'maxRetries',
    ] as const) {
      problems.push(...nonNegative(pool.http?.[key], [...path, 'connectionPool', 'http', key]));
    }
    problems.push(...duration(pool.http?.idleTimeout, [...path, 'connectionPool', 'http', 'idleTimeout']));
  }
  const od = policy.outlierDetection;
  if (od) {
    const at = [...path, 'outlierDetection'];
    for (const key of [
      'consecutive5xxErrors',
      'consecutiveGatewayErrors',
      'consecutiveLocalOriginFailures',
    ] as const) {
      problems.push(...nonNegative(od[key], [...at, key]));
    }
    problems.push(
      ...duration(od.interval, [...at, 'interval']),
      ...duration(od.baseEjectionTime, [...at, 'baseEjectionTime']),
    );
    problems.push(
      ...percent(od.maxEjectionPercent, [...at, 'maxEjectionPercent']),
      ...percent(od.minHealthPercent, [...at, 'minHealthPercent']),
    );
    if (od.consecutiveLocalOriginFailures !== undefined && !od.splitExternalLocalOriginErrors) {
      problems.push({
        path: [...at, 'consecutiveLocalOriginFailures'],
        message: 'needs splitExternalLocalOriginErrors: true',
      });
    }
  }
  const hash = policy.loadBalancer?.consistentHash;
  if (hash?.httpCookie && !hash.httpCookie.name) {
    problems.push({
      path: [...path, 'loadBalancer', 'consistentHash', 'httpCookie', 'name'],
      message: 'httpCookie needs a name',
    });
  }
  const table = hash?.maglev?.tableSize;
  if (table !== undefined && (!isPrime(table) || table >= 5_000_011)) {
    problems.push({
      path: [...path, 'loadBalancer', 'consistentHash', 'maglev', 'tableSize'],
      message: 'tableSize must be a prime below 5000011',
    });
  }
  return problems;
}

function policyProblems(policy: TrafficPolicy | undefined, path: Path): SpecProblem[] {
  if (!policy) return [];
  const problems = blockProblems(policy, path);
  const blocks = ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls'] as const;
  if (blocks.every((b) => policy[b] === undefined) && !policy.portLevelSettings?.length) {
    problems.push({ path, message: 'an empty trafficPolicy is not allowed' });
  }
  (policy.portLevelSettings ?? []).forEach((pls, i) => {
    if (blocks.every((b) => pls[b] === undefined)) {
      problems.push({
        path: [...path, 'portLevelSettings', i],
        message: 'an empty port policy is not allowed',
      });
    }
    problems.push(...blockProblems(pls, [...path, 'portLevelSettings', i]));
  });
  return problems;
}

const hostCheck: SpecCheck<DestinationRuleSpec> = (spec) =>
  /^(\*|(\*\.)?[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?)$/.test(spec.host)
    ? []
    : [{ path: ['host'], message: `invalid host ${spec.host}` }];

const subsetsCheck: SpecCheck<DestinationRuleSpec> = (spec) => {
  const problems: SpecProblem[] = [];
  const seen = new Set<string>();
  (spec.subsets ?? []).forEach((s, i) => {
    if (seen.has(s.name))
      problems.push({ path: ['subsets', i, 'name'], message: `duplicate subset ${s.name}` });
    if (!DNS_LABEL.test(s.name))
      problems.push({ path: ['subsets', i, 'name'], message: 'subset names are DNS-1123 labels' });
    seen.add(s.name);
    problems.push(...policyProblems(s.trafficPolicy, ['subsets', i, 'trafficPolicy']));
  });
  return problems;
};

const trafficPolicyCheck: SpecCheck<DestinationRuleSpec> = (spec) =>
  policyProblems(spec.trafficPolicy, ['trafficPolicy']);

const exportToCheck: SpecCheck<DestinationRuleSpec> = (spec) => exportToProblems(spec.exportTo);

export const DESTINATION_RULE_CHECKS: ReadonlyArray<SpecCheck<DestinationRuleSpec>> = [
  hostCheck,
  subsetsCheck,
  trafficPolicyCheck,
  exportToCheck,
];
