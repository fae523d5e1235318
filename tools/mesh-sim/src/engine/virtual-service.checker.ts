import type { HttpMatch, HttpRoute, StringMatch, VirtualServiceSpec } from '../config/networking.schema.js';
import { durationProblem, parseDurationMs } from '../util/duration.util.js';
import { hostsOverlap, resolveShortName } from './host.util.js';
import { RETRY_ON_TOKENS } from './retry-policy.util.js';
import { regexProblem, stringMatchKinds } from './string-match.util.js';
import {
  DNS_LABEL,
  exportToProblems,
  percentProblem,
  type SpecCheck,
  type SpecProblem,
} from './validation.types.js';

/** What istiod rejects in a VirtualService (istio-semantics §1.9), one check per rule. */

const GRPC_STATUS_NAMES = new Set([
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
]);
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const MAX_DIRECT_BODY = 1024 * 1024;

function boundToMesh(spec: VirtualServiceSpec): boolean {
  return (spec.gateways ?? ['mesh']).includes('mesh');
}

const hostsCheck: SpecCheck<VirtualServiceSpec> = (spec, namespace) => {
  if (spec.hosts.length === 0)
    return [{ path: ['hosts'], message: 'a VirtualService needs at least one host' }];
  const problems: SpecProblem[] = [];
  const resolved = spec.hosts.map((h) => resolveShortName(h, namespace));
  resolved.forEach((host, i) => {
    if (host === '*' && boundToMesh(spec)) {
      problems.push({
        path: ['hosts', i],
        message: '"*" is not allowed for a VirtualService bound to the mesh',
      });
    }
    for (let j = 0; j < i; j++) {
      if (hostsOverlap(host, resolved[j]!)) {
        problems.push({ path: ['hosts', i], message: `host ${spec.hosts[i]} overlaps ${spec.hosts[j]}` });
      }
    }
  });
  return problems;
};

const exportToCheck: SpecCheck<VirtualServiceSpec> = (spec) => exportToProblems(spec.exportTo);

const structureCheck: SpecCheck<VirtualServiceSpec> = (spec) =>
  (spec.http ?? []).length + (spec.tcp ?? []).length + (spec.tls ?? []).length === 0
    ? [{ path: [], message: 'a VirtualService needs an http, tcp or tls section' }]
    : [];

function actionProblems(route: HttpRoute, path: ReadonlyArray<string | number>): SpecProblem[] {
  const actions = [
    route.route?.length ? 1 : 0,
    route.redirect ? 1 : 0,
    route.directResponse ? 1 : 0,
    route.delegate ? 1 : 0,
  ];
  const problems: SpecProblem[] = [];
  const count = actions.reduce((a, b) => a + b, 0);
  if (count !== 1) {
    problems.push({
      path,
      message: 'each http rule needs exactly one of route, redirect, directResponse or delegate',
    });
  }
  if ((route.redirect || route.directResponse) && (route.fault || route.rewrite)) {
    problems.push({ path, message: 'fault and rewrite cannot be combined with redirect or directResponse' });
  }
  if ((route.mirror || route.mirrorPercentage || route.mirrorPercent !== undefined) && route.mirrors) {
    problems.push({ path: [...path, 'mirrors'], message: 'use either mirror or mirrors, not both' });
  }
  return problems;
}

function weightProblems(route: HttpRoute, path: ReadonlyArray<string | number>): SpecProblem[] {
  const dests = route.route ?? [];
  const problems: SpecProblem[] = [];
  dests.forEach((d, i) => {
    if ((d.weight ?? 0) < 0)
      problems.push({ path: [...path, 'route', i, 'weight'], message: 'weight must be >= 0' });
  });
  if (dests.length > 1 && dests.reduce((sum, d) => sum + Math.max(0, d.weight ?? 0), 0) === 0) {
    problems.push({
      path: [...path, 'route'],
      message: 'with several destinations the weights must not all be 0',
    });
  }
  return problems;
}

function durationAt(value: string | undefined, path: ReadonlyArray<string | number>): SpecProblem[] {
  if (value === undefined) return [];
  const problem = durationProblem(parseDurationMs(value));
  return problem ? [{ path, message: `duration ${problem}` }] : [];
}

function retryProblems(route: HttpRoute, path: ReadonlyArray<string | number>): SpecProblem[] {
  const r = route.retries;
  if (!r) return [];
  const at = [...path, 'retries'];
  const problems: SpecProblem[] = [];
  if ((r.attempts ?? 0) < 0) problems.push({ path: [...at, 'attempts'], message: 'attempts must be >= 0' });
  if (r.attempts === 0 && (r.perTryTimeout || r.retryOn || r.retryRemoteLocalities !== undefined)) {
    problems.push({
      path: at,
      message: 'attempts: 0 cannot be combined with perTryTimeout, retryOn or retryRemoteLocalities',
    });
  }
  for (const token of (r.retryOn ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)) {
    if (!RETRY_ON_TOKENS.has(token) && !/^\d{3}$/.test(token)) {
      problems.push({ path: [...at, 'retryOn'], message: `unknown retryOn token ${token}` });
    }
  }
  return [
    ...problems,
    ...durationAt(r.perTryTimeout, [...at, 'perTryTimeout']),
    ...durationAt(r.backoff, [...at, 'backoff']),
  ];
}

function faultProblems(route: HttpRoute, path: ReadonlyArray<string | number>): SpecProblem[] {
  const f = route.fault;
  if (!f) return [];
  const at = [...path, 'fault'];
  if (!f.delay && !f.abort) return [{ path: at, message: 'a fault needs a delay, an abort, or both' }];
  const problems: SpecProblem[] = [];
  if (f.delay) {
    if (f.delay.exponentialDelay)
      problems.push({
        path: [...at, 'delay', 'exponentialDelay'],
        message: 'exponentialDelay is not supported',
      });
    if (!f.delay.fixedDelay) problems.push({ path: [...at, 'delay'], message: 'delay needs fixedDelay' });
    problems.push(...durationAt(f.delay.fixedDelay, [...at, 'delay', 'fixedDelay']));
    problems.push(...percentProblem(f.delay.percentage?.value, [...at, 'delay', 'percentage', 'value']));
  }
  if (f.abort) {
    const a = f.abort;
    if (a.http2Error)
      problems.push({ path: [...at, 'abort', 'http2Error'], message: 'http2Error is not supported' });
    if (a.httpStatus !== undefined && (a.httpStatus < 200 || a.httpStatus > 599)) {
      problems.push({
        path: [...at, 'abort', 'httpStatus'],
        message: 'httpStatus must be between 200 and 599',
      });
    }
    if (a.grpcStatus !== undefined && !GRPC_STATUS_NAMES.has(a.grpcStatus)) {
      problems.push({ path: [...at, 'abort', 'grpcStatus'], message: `unknown gRPC status ${a.grpcStatus}` });
    }
    if (a.httpStatus === undefined && a.grpcStatus === undefined && !a.http2Error) {
      problems.push({ path: [...at, 'abort'], message: 'abort needs httpStatus or grpcStatus' });
    }
    problems.push(...percentProblem(a.percentage?.value, [...at, 'abort', 'percentage', 'value']));
  }
  return problems;
}

function mirrorProblems(route: HttpRoute, path: ReadonlyArray<string | number>): SpecProblem[] {
  const problems = percentProblem(
    route.mirrorPercentage?.value,
    [...path, 'mirrorPercentage', 'value'],
    true,
  );
  (route.mirrors ?? []).forEach((m, i) =>
    problems.push(
      ...percentProblem(m.percentage?.value, [...path, 'mirrors', i, 'percentage', 'value'], true),
    ),
  );
  return problems;
}

function responseProblems(route: HttpRoute, path: ReadonlyArray<string | number>): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const r = route.redirect;
  if (r?.redirectCode !== undefined && !REDIRECT_CODES.has(r.redirectCode)) {
    problems.push({
      path: [...path, 'redirect', 'redirectCode'],
      message: 'redirectCode must be 301, 302, 303, 307 or 308',
    });
  }
  if (r?.scheme !== undefined && r.scheme !== 'http' && r.scheme !== 'https') {
    problems.push({
      path: [...path, 'redirect', 'scheme'],
      message: 'redirect scheme must be http or https',
    });
  }
  const d = route.directResponse;
  if (d && (d.status < 200 || d.status > 599)) {
    problems.push({
      path: [...path, 'directResponse', 'status'],
      message: 'status must be between 200 and 599',
    });
  }
  if (d && (d.body?.string ?? d.body?.bytes ?? '').length > MAX_DIRECT_BODY) {
    problems.push({ path: [...path, 'directResponse', 'body'], message: 'body must not exceed 1 MB' });
  }
  const setsHost = [
    route.headers?.request?.set,
    ...(route.route ?? []).map((d) => d.headers?.request?.set),
  ].some((set) => set?.['host'] !== undefined || set?.[':authority'] !== undefined);
  if (route.rewrite?.authority !== undefined && setsHost) {
    problems.push({
      path: [...path, 'rewrite', 'authority'],
      message: 'set the authority either with rewrite.authority or with headers.request.set[host], not both',
    });
  }
  if (route.rewrite?.uri !== undefined && route.rewrite.uriRegexRewrite) {
    problems.push({ path: [...path, 'rewrite'], message: 'uri and uriRegexRewrite are exclusive' });
  }
  const regexRewrite = route.rewrite?.uriRegexRewrite?.match;
  const reProblem = regexRewrite === undefined ? undefined : regexProblem(regexRewrite);
  if (reProblem)
    problems.push({ path: [...path, 'rewrite', 'uriRegexRewrite', 'match'], message: reProblem });
  return problems;
}

function stringMatchProblems(
  m: StringMatch,
  path: ReadonlyArray<string | number>,
  isHeader: boolean,
): SpecProblem[] {
  if (stringMatchKinds(m) > 1) return [{ path, message: 'set only one of exact, prefix or regex' }];
  if (isHeader && (m.prefix === '' || m.regex === ''))
    return [{ path, message: 'an empty prefix or regex is not allowed' }];
  if (m.regex !== undefined && !(isHeader && m.regex === '*')) {
    const problem = regexProblem(m.regex);
    if (problem) return [{ path: [...path, 'regex'], message: `invalid RE2 regex: ${problem}` }];
  }
  return [];
}

function matchProblems(
  match: HttpMatch,
  path: ReadonlyArray<string | number>,
  spec: VirtualServiceSpec,
): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const field of ['uri', 'scheme', 'method', 'authority'] as const) {
    const m = match[field];
    if (m) problems.push(...stringMatchProblems(m, [...path, field], false));
  }
  for (const field of ['headers', 'withoutHeaders', 'queryParams'] as const) {
    for (const [name, m] of Object.entries(match[field] ?? {})) {
      if (field !== 'queryParams' && !name.startsWith('@') && !HEADER_NAME.test(name)) {
        problems.push({ path: [...path, field, name], message: 'header names must be lowercase tokens' });
      }
      if (name.startsWith('@request.auth.claims') && boundToMesh(spec)) {
        problems.push({
          path: [...path, field, name],
          message: 'JWT claim routing is only allowed on gateways',
        });
      }
      problems.push(...stringMatchProblems(m, [...path, field, name], field !== 'queryParams'));
    }
  }
  if (match.sourceNamespace !== undefined && !DNS_LABEL.test(match.sourceNamespace)) {
    problems.push({ path: [...path, 'sourceNamespace'], message: 'sourceNamespace must be a DNS label' });
  }
  return problems;
}

const httpRulesCheck: SpecCheck<VirtualServiceSpec> = (spec) =>
  (spec.http ?? []).flatMap((route, i) => {
    const path = ['http', i];
    return [
      ...actionProblems(route, path),
      ...weightProblems(route, path),
      ...retryProblems(route, path),
      ...faultProblems(route, path),
      ...mirrorProblems(route, path),
      ...responseProblems(route, path),
      ...durationAt(route.timeout, [...path, 'timeout']),
      ...(route.match ?? []).flatMap((m, j) => matchProblems(m, [...path, 'match', j], spec)),
    ];
  });

export const VIRTUAL_SERVICE_CHECKS: ReadonlyArray<SpecCheck<VirtualServiceSpec>> = [
  hostsCheck,
  exportToCheck,
  structureCheck,
  httpRulesCheck,
];
