import { CLUSTER_DOMAIN } from '../topology/topology-loader.util.js';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * istio-semantics §1.1 short names: a name without dots becomes `<name>.<namespace of the
 * config>.svc.cluster.local`; a name with a dot is literal; `*` and IP addresses are never expanded.
 */
export function resolveShortName(host: string, namespace: string): string {
  if (host === '*' || host.startsWith('*.') || IPV4.test(host) || host.includes(':')) return host;
  return host.includes('.') ? host : `${host}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** §1.1 wildcards: `*.foo.com` matches `a.foo.com` and `a.b.foo.com` but not `foo.com`; `*` matches all. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** Whether two host patterns can match a common host (overlap check of §1.1 validation). */
export function hostsOverlap(a: string, b: string): boolean {
  return hostMatches(a, b.replace(/^\*\./, 'x.')) || hostMatches(b, a.replace(/^\*\./, 'x.'));
}

/** Splits `host:port`; IPv6 literals in brackets keep their brackets. */
export function splitAuthority(authority: string): { host: string; port: number | undefined } {
  const colon = authority.lastIndexOf(':');
  if (colon === -1 || authority.endsWith(']')) return { host: authority, port: undefined };
  const port = Number(authority.slice(colon + 1));
  return Number.isInteger(port)
    ? { host: authority.slice(0, colon), port }
    : { host: authority, port: undefined };
}
