import { parseDuration, type RouteMatch } from '@heliomesh/policy';
import { sha256Hex } from '@heliomesh/util';
import type { Claim, ClaimSource } from './claims.util.js';
import { ROUTE_FIELDS, type HostModel, type MirrorValue, type RouteAction } from './host-model.util.js';
import { compareSpecificity, escapeRe2 } from './match.util.js';
import { distributeWeights } from './weights.util.js';

/** One emitted http route: its match, its effective fields and where each came from. */
export interface ResolvedRoute {
  name: string;
  match: RouteMatch | undefined;
  fields: Map<string, Claim>;
  /** Fields taken from service-wide settings rather than set on this route. */
  inherited: Set<string>;
  creators: ClaimSource[];
  /** Set on the route that pins a sticky-cookie holder to one version. */
  stickyVersion?: string;
}

/** The sticky cookie a weighted action asks for, with its lifetime in whole seconds. */
export function stickyCookie(action: RouteAction): { name: string; maxAgeSeconds: number } | undefined {
  if (action.type !== 'weighted' || !action.sticky?.cookie) return undefined;
  const ttlMs = parseDuration(action.sticky.cookie.ttl) ?? 0;
  return { name: action.sticky.cookie.name, maxAgeSeconds: Math.floor(ttlMs / 1000) };
}

/**
 * Routes in emission order: match routes by specificity (see compareSpecificity), the default
 * route last. A route inherits every service-wide field it does not set itself ("a specific match
 * beats the service-wide setting"). A redirect route inherits nothing, since Envoy answers it
 * without an upstream call. A weighted route with a sticky cookie is preceded by one route per
 * version for clients that already hold the cookie.
 */
export function resolveRoutes(model: HostModel): ResolvedRoute[] {
  const entries = [...model.routes.values()].sort((a, b) => compareSpecificity(a.match, b.match));
  const out: ResolvedRoute[] = [];
  for (const entry of entries)
    out.push(
      ...withSticky(
        resolve(
          model,
          entry.match,
          entry.scope.claims,
          entry.creators,
          `r-${sha256Hex(entry.key).slice(0, 8)}`,
        ),
      ),
    );
  out.push(...withSticky(resolve(model, undefined, new Map(), [], 'default')));
  return out;
}

function resolve(
  model: HostModel,
  match: RouteMatch | undefined,
  own: Map<string, Claim>,
  creators: ClaimSource[],
  name: string,
): ResolvedRoute {
  const fields = new Map(own);
  const inherited = new Set<string>();
  const isRedirect = (own.get(ROUTE_FIELDS.route)?.value as RouteAction | undefined)?.type === 'redirect';
  if (!isRedirect)
    for (const [field, claim] of model.serviceScope.claims)
      if (!fields.has(field)) {
        fields.set(field, claim);
        // The default route has no scope of its own: service-wide settings are its settings.
        if (match) inherited.add(field);
      }
  // A service-wide mirror is not copied onto a match route that already sends everything to its
  // target (e.g. a rollout's A/B route to the canary it mirrors to). On the default route it is
  // the route's own setting (not inherited), so HM1011 reports it instead.
  const mirror = fields.get(ROUTE_FIELDS.mirror) as Claim<MirrorValue> | undefined;
  const action = fields.get(ROUTE_FIELDS.route)?.value as RouteAction | undefined;
  if (mirror && inherited.has(ROUTE_FIELDS.mirror) && sendsAllToMirror(model.host, action, mirror.value)) {
    fields.delete(ROUTE_FIELDS.mirror);
    inherited.delete(ROUTE_FIELDS.mirror);
  }
  return { name, match, fields, inherited, creators };
}

/** True when every request of the route already goes to the mirror's destination. */
export function sendsAllToMirror(
  host: string,
  action: RouteAction | undefined,
  mirror: MirrorValue,
): boolean {
  const targets =
    action === undefined
      ? [`${host}|`]
      : action.type === 'weighted'
        ? (() => {
            const weights = distributeWeights(action.destinations.map((d) => d.weight));
            return action.destinations
              .filter((_, i) => weights[i]! > 0)
              .map((d) => `${d.host}|${d.subset ?? ''}`);
          })()
        : [];
  const target = `${mirror.host}|${mirror.subset ?? ''}`;
  return targets.length > 0 && targets.every((t) => t === target);
}

function withSticky(route: ResolvedRoute): ResolvedRoute[] {
  const claim = route.fields.get(ROUTE_FIELDS.route) as Claim<RouteAction> | undefined;
  const cookie = claim && stickyCookie(claim.value);
  if (!claim || !cookie || claim.value.type !== 'weighted' || route.match?.headers?.['cookie'])
    return [route];
  const weights = distributeWeights(claim.value.destinations.map((d) => d.weight));
  const siblings: ResolvedRoute[] = [];
  claim.value.destinations.forEach((destination, i) => {
    if (weights[i] === 0 || destination.subset === undefined) return;
    const pinned: RouteAction = { type: 'weighted', destinations: [{ ...destination, weight: 100 }] };
    const fields = new Map(route.fields);
    fields.set(ROUTE_FIELDS.route, { value: pinned, source: claim.source });
    siblings.push({
      ...route,
      name: `${route.name}-sticky-${destination.subset}`,
      match: {
        ...route.match,
        headers: { ...route.match?.headers, cookie: { regex: cookieRegex(cookie.name, destination.subset) } },
      },
      fields,
      stickyVersion: destination.subset,
    });
  });
  return [...siblings, route];
}

/** Matches a Cookie header that carries `<name>=<version>` as one of its pairs (full RE2 match). */
export function cookieRegex(name: string, version: string): string {
  return `^(.*?;\\s*)?(${escapeRe2(name)}=${escapeRe2(version)})(;.*)?$`;
}
