import type { PolicyTarget, RouteMatch, StringMatch } from '@heliomesh/policy';
import { canonicalJson } from '@heliomesh/util';

const RECORD_FIELDS = ['headers', 'withoutHeaders', 'queryParams', 'sourceLabels'] as const;

/**
 * The match a policy's route lives under: the target's match, then the policy's own conditions
 * (a RequestRouting rule), and the target port as a `port` condition. Conditions are ANDed;
 * where both name the same field, the more specific (the rule's) wins. An empty match is the
 * default route (undefined).
 */
export function routeMatchOf(target: PolicyTarget, extra?: RouteMatch): RouteMatch | undefined {
  const merged: Record<string, unknown> = { ...target.match, ...extra };
  for (const field of RECORD_FIELDS) {
    const combined = { ...target.match?.[field], ...extra?.[field] };
    if (Object.keys(combined).length > 0) merged[field] = combined;
    else delete merged[field];
  }
  if (merged['port'] === undefined && target.port !== undefined) merged['port'] = target.port;
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return Object.keys(merged).length === 0 ? undefined : (merged as RouteMatch);
}

/** A stable identity for a match: equal conditions give equal keys, whatever their key order. */
export function matchKey(match: RouteMatch | undefined): string {
  return match ? canonicalJson(match) : '';
}

export function stringMatchValue(m: StringMatch | undefined): string {
  return m?.exact ?? m?.prefix ?? m?.regex ?? '';
}

function uriRank(m: StringMatch | undefined): number {
  if (!m) return 3;
  if (m.exact !== undefined) return 0;
  if (m.prefix !== undefined) return 1;
  return 2;
}

const count = (r: Record<string, unknown> | undefined) => (r ? Object.keys(r).length : 0);
const has = (v: unknown) => (v === undefined ? 1 : 0);

/**
 * Specificity, most specific first (the order routes are emitted in, since Envoy takes the first
 * match): URI exact, then prefix (longer first), then regex, then no URI; then more header
 * conditions, more query conditions, more source labels, a source namespace, a method, a port, an
 * authority, a scheme, more withoutHeaders. Ties break on the match key, so the order is total.
 * The default route (no match) is always last.
 */
export function specificityKey(match: RouteMatch | undefined): number[] {
  if (!match) return [1];
  return [
    0,
    uriRank(match.uri),
    -stringMatchValue(match.uri).length,
    -count(match.headers),
    -count(match.queryParams),
    -count(match.sourceLabels),
    has(match.sourceNamespace),
    has(match.method),
    has(match.port),
    has(match.authority),
    has(match.scheme),
    -count(match.withoutHeaders),
  ];
}

export function compareSpecificity(a: RouteMatch | undefined, b: RouteMatch | undefined): number {
  const ka = specificityKey(a);
  const kb = specificityKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return d;
  }
  const sa = matchKey(a);
  const sb = matchKey(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** False only when no request can satisfy both matches (a definite contradiction is found). */
export function mayOverlap(a: RouteMatch, b: RouteMatch): boolean {
  if (a.port !== undefined && b.port !== undefined && a.port !== b.port) return false;
  if (
    a.sourceNamespace !== undefined &&
    b.sourceNamespace !== undefined &&
    a.sourceNamespace !== b.sourceNamespace
  )
    return false;
  if (!uriMayOverlap(a, b)) return false;
  for (const field of ['method', 'scheme', 'authority'] as const)
    if (!stringMayOverlap(a[field], b[field], false)) return false;
  for (const field of ['headers', 'queryParams'] as const)
    for (const [name, m] of Object.entries(a[field] ?? {}))
      if (!stringMayOverlap(m, b[field]?.[name], false)) return false;
  for (const [name, value] of Object.entries(a.sourceLabels ?? {}))
    if (b.sourceLabels?.[name] !== undefined && b.sourceLabels[name] !== value) return false;
  return true;
}

function uriMayOverlap(a: RouteMatch, b: RouteMatch): boolean {
  return stringMayOverlap(a.uri, b.uri, a.ignoreUriCase === true || b.ignoreUriCase === true);
}

function stringMayOverlap(
  a: StringMatch | undefined,
  b: StringMatch | undefined,
  ignoreCase: boolean,
): boolean {
  if (!a || !b || a.regex !== undefined || b.regex !== undefined) return true;
  const norm = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const av = norm(stringMatchValue(a));
  const bv = norm(stringMatchValue(b));
  if (a.exact !== undefined && b.exact !== undefined) return av === bv;
  if (a.exact !== undefined) return av.startsWith(bv);
  if (b.exact !== undefined) return bv.startsWith(av);
  return av.startsWith(bv) || bv.startsWith(av);
}

/** Escapes a literal for use inside an RE2 pattern. */
export function escapeRe2(literal: string): string {
  return literal.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A short human label of a match for messages: `default route` or its canonical JSON. */
export function matchLabel(match: RouteMatch | undefined): string {
  return match ? `route ${matchKey(match)}` : 'default route';
}
