import type {
  AuthorizationPolicySpec,
  AuthzCondition,
  AuthzOperation,
  AuthzRule,
  AuthzSource,
} from '../config/security.schema.js';
import { splitAuthority } from './host.util.js';
import {
  anyOf,
  authzPathMatcher,
  authzValueMatcher,
  ipMatcher,
  type ValueMatcher,
} from './authz-match.util.js';

/** What the server sidecar knows about a request when RBAC runs (istio-semantics §3). */
export interface AuthzContext {
  /** `cluster.local/ns/<ns>/sa/<sa>`, or "" without mTLS (plaintext carries no identity). */
  principal: string;
  sourceNamespace: string;
  sourceIp: string;
  remoteIp: string;
  host: string;
  method: string;
  /** Path without the query string: authz ignores it. */
  path: string;
  port: number;
  destinationIp: string;
  headers: Readonly<Record<string, string>>;
}

type Predicate = (ctx: AuthzContext) => boolean;

export type AuthzAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

export interface CompiledAuthorizationPolicy {
  uid: string;
  name: string;
  namespace: string;
  action: AuthzAction;
  selector: Readonly<Record<string, string>> | undefined;
  /** The policy matches when any rule matches. */
  rules: Predicate[];
}

export function compileAuthorizationPolicy(
  spec: AuthorizationPolicySpec,
  meta: { uid: string; name: string; namespace: string },
): CompiledAuthorizationPolicy {
  return {
    ...meta,
    action: spec.action,
    selector: spec.selector?.matchLabels,
    // `spec: {}` is an ALLOW with no rules, which matches nothing and so denies everything.
    rules: (spec.rules ?? []).map(compileRule),
  };
}

/** A rule matches if (some from) AND (some to) AND (every when); an omitted section matches anything. */
function compileRule(rule: AuthzRule): Predicate {
  const froms = (rule.from ?? []).map((f) => compileSource(f.source ?? {}));
  const tos = (rule.to ?? []).map((t) => compileOperation(t.operation ?? {}));
  const whens = (rule.when ?? []).map(compileCondition);
  return (ctx) =>
    (froms.length === 0 || froms.some((p) => p(ctx))) &&
    (tos.length === 0 || tos.some((p) => p(ctx))) &&
    whens.every((p) => p(ctx));
}

/** Fields are ANDed; values in a field are ORed; `notX` means "not in the list". */
function field(
  values: string[] | undefined,
  negated: string[] | undefined,
  make: (v: string) => ValueMatcher,
  get: (ctx: AuthzContext) => string,
): Predicate[] {
  const out: Predicate[] = [];
  if (values) {
    const m = values.map(make);
    out.push((ctx) => anyOf(m, get(ctx)));
  }
  if (negated) {
    const m = negated.map(make);
    out.push((ctx) => !anyOf(m, get(ctx)));
  }
  return out;
}

function serviceAccountOf(principal: string): string {
  const m = /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  return m ? `${m[1]}/${m[2]}` : '';
}

function compileSource(s: AuthzSource): Predicate {
  const parts = [
    ...field(
      s.principals,
      s.notPrincipals,
      (v) => authzValueMatcher(v),
      (c) => c.principal,
    ),
    // No JWT is ever simulated, so the request principal is always empty.
    ...field(
      s.requestPrincipals,
      s.notRequestPrincipals,
      (v) => authzValueMatcher(v),
      () => '',
    ),
    ...field(
      s.namespaces,
      s.notNamespaces,
      (v) => authzValueMatcher(v),
      (c) => c.sourceNamespace,
    ),
    ...field(
      s.serviceAccounts,
      s.notServiceAccounts,
      (v) => authzValueMatcher(v),
      (c) => serviceAccountOf(c.principal),
    ),
    ...field(s.ipBlocks, s.notIpBlocks, ipMatcher, (c) => c.sourceIp),
    ...field(s.remoteIpBlocks, s.notRemoteIpBlocks, ipMatcher, (c) => c.remoteIp),
  ];
  return (ctx) => parts.every((p) => p(ctx));
}

function compileOperation(o: AuthzOperation): Predicate {
  const hostMatch = (v: string): ValueMatcher => {
    const m = authzValueMatcher(v, true);
    // Hosts are checked against the Host header, case-insensitively; a port in the header does not stop a match.
    return (host) => m(host) || m(splitAuthority(host).host);
  };
  const parts = [
    ...field(o.hosts, o.notHosts, hostMatch, (c) => c.host),
    ...field(
      o.ports,
      o.notPorts,
      (v) => (x) => x === v,
      (c) => String(c.port),
    ),
    ...field(
      o.methods,
      o.notMethods,
      (v) => authzValueMatcher(v),
      (c) => c.method,
    ),
    ...field(o.paths, o.notPaths, authzPathMatcher, (c) => c.path),
  ];
  return (ctx) => parts.every((p) => p(ctx));
}

/** `when` keys; an absent attribute never matches `values` and always passes `notValues`. */
function compileCondition(cond: AuthzCondition): Predicate {
  const get = attributeGetter(cond.key);
  const isIp = cond.key === 'source.ip' || cond.key === 'remote.ip' || cond.key === 'destination.ip';
  const make = isIp ? ipMatcher : (v: string) => authzValueMatcher(v);
  const values = cond.values?.map(make);
  const notValues = cond.notValues?.map(make);
  return (ctx) => {
    const value = get(ctx);
    if (values && (value === undefined || !anyOf(values, value))) return false;
    if (notValues && value !== undefined && anyOf(notValues, value)) return false;
    return true;
  };
}

export const AUTHZ_WHEN_KEYS =
  /^(request\.headers\[[^\]]+\]|source\.ip|remote\.ip|source\.namespace|source\.principal|request\.auth\.(principal|audiences|presenter|claims(\[[^\]]+\])+)|destination\.ip|destination\.port|connection\.sni|experimental\.envoy\.filters\..+)$/;

function attributeGetter(key: string): (ctx: AuthzContext) => string | undefined {
  const header = /^request\.headers\[([^\]]+)\]$/.exec(key);
  if (header) {
    const name = header[1]!.toLowerCase();
    return (ctx) => ctx.headers[name];
  }
  switch (key) {
    case 'source.ip':
      return (ctx) => ctx.sourceIp;
    case 'remote.ip':
      return (ctx) => ctx.remoteIp;
    case 'source.namespace':
      return (ctx) => ctx.sourceNamespace || undefined;
    case 'source.principal':
      return (ctx) => ctx.principal || undefined;
    case 'destination.ip':
      return (ctx) => ctx.destinationIp;
    case 'destination.port':
      return (ctx) => String(ctx.port);
    default:
      // JWT claims, SNI and experimental keys carry no value in the simulation.
      return () => undefined;
  }
}
