import type { HeaderOps } from '../config/networking.schema.js';
import type { SimRequest } from './engine.types.js';
import type { CompiledMatch, CompiledRoute, WeightedDestination } from './route.types.js';

/**
 * istio-semantics §1.3 and §1.4: header operations (rule level, then destination level, which is
 * applied last) and rewrite, producing the request the upstream sees. Returns the same object
 * when nothing changes, so the common path allocates nothing.
 */
export function forwardedRequest(
  req: SimRequest,
  route: CompiledRoute,
  destination: WeightedDestination | undefined,
  matched: CompiledMatch | undefined,
): SimRequest {
  const ruleOps = route.requestHeaders;
  const destOps = destination?.headers;
  const rewrite = route.rewrite;
  if (!ruleOps && !destOps && !rewrite) return req;
  let headers: Record<string, string> = { ...req.headers };
  let authority = req.authority;
  let path = req.path;
  for (const ops of [ruleOps, destOps]) {
    if (!ops) continue;
    headers = applyHeaderOps(headers, ops);
    const host = ops.set?.['host'] ?? ops.set?.[':authority'];
    if (host !== undefined) authority = host;
  }
  delete headers['host'];
  delete headers[':authority'];
  if (rewrite) {
    if (rewrite.authority !== undefined) authority = rewrite.authority;
    const q = path.indexOf('?');
    const bare = q === -1 ? path : path.slice(0, q);
    const query = q === -1 ? '' : path.slice(q);
    if (rewrite.uri !== undefined) {
      // `rewrite.uri` replaces the matched prefix; without a prefix match it replaces the path.
      const prefix = matched?.uriPrefix;
      path =
        (prefix !== undefined && bare.startsWith(prefix)
          ? rewrite.uri + bare.slice(prefix.length)
          : rewrite.uri) + query;
    } else if (rewrite.regex) {
      path = rewrite.regex.re.replace(bare, rewrite.regex.replacement) + query;
    }
  }
  return { ...req, headers, authority, path };
}

export function applyHeaderOps(headers: Record<string, string>, ops: HeaderOps): Record<string, string> {
  for (const [name, value] of Object.entries(ops.set ?? {})) headers[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(ops.add ?? {})) {
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
  }
  for (const name of ops.remove ?? []) delete headers[name.toLowerCase()];
  return headers;
}
