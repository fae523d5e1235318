import type { HttpMatch, StringMatch } from '../config/networking.schema.js';
import type { CompiledMatch, RequestPredicate } from './route.types.js';
import { compileStringMatch, isPresenceMatch } from './string-match.util.js';

/** Pseudo-header keys that `headers` ignores (istio-semantics §1.2). */
const IGNORED_HEADER_KEYS = new Set(['uri', 'scheme', 'method', 'authority']);

/** Compiles one HTTPMatchRequest; all its fields are ANDed (§1.2). */
export function compileMatch(match: HttpMatch): CompiledMatch {
  const predicates: RequestPredicate[] = [];
  if (match.uri) {
    const test = compileStringMatch(match.uri, match.ignoreUriCase === true);
    predicates.push((_req, path) => test(path));
  }
  if (match.scheme) {
    const test = compileStringMatch(match.scheme);
    predicates.push((req) => test(req.scheme));
  }
  if (match.method) {
    const test = compileStringMatch(match.method);
    predicates.push((req) => test(req.method));
  }
  if (match.authority) {
    const test = compileStringMatch(match.authority);
    predicates.push((req) => test(req.authority));
  }
  for (const [name, m] of Object.entries(match.headers ?? {})) {
    if (IGNORED_HEADER_KEYS.has(name) || name.startsWith('@')) continue;
    predicates.push(headerPredicate(name, m));
  }
  for (const [name, m] of Object.entries(match.withoutHeaders ?? {})) {
    if (IGNORED_HEADER_KEYS.has(name) || name.startsWith('@')) continue;
    predicates.push(withoutHeaderPredicate(name, m));
  }
  for (const [name, m] of Object.entries(match.queryParams ?? {})) predicates.push(queryPredicate(name, m));
  const gateways = match.gateways;
  return {
    sourceLabels: match.sourceLabels,
    sourceNamespace: match.sourceNamespace,
    port: match.port,
    appliesToSidecars: !gateways || gateways.length === 0 || gateways.includes('mesh'),
    predicates,
    uriPrefix: match.uri?.prefix,
  };
}

function headerPredicate(name: string, m: StringMatch): RequestPredicate {
  if (isPresenceMatch(m)) return (req) => req.headers[name] !== undefined;
  const test = compileStringMatch(m);
  return (req) => {
    const value = req.headers[name];
    return value !== undefined && test(value);
  };
}

/** §1.2: the inverse of a header match, where a missing header counts as "". */
function withoutHeaderPredicate(name: string, m: StringMatch): RequestPredicate {
  if (isPresenceMatch(m)) return (req) => req.headers[name] === undefined;
  const test = compileStringMatch(m);
  return (req) => !test(req.headers[name] ?? '');
}

function queryPredicate(name: string, m: StringMatch): RequestPredicate {
  const presence = isPresenceMatch(m);
  const test = presence ? undefined : compileStringMatch(m);
  return (_req, _path, query) => {
    const value = queryParam(query, name);
    if (value === undefined) return false;
    return test === undefined || test(value);
  };
}

/** The first value of a query parameter, percent-decoded; undefined when absent. */
export function queryParam(query: string, name: string): string | undefined {
  if (query === '') return undefined;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (safeDecode(key) === name) return eq === -1 ? '' : safeDecode(pair.slice(eq + 1));
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Every predicate of a match holds. */
export function matchesRequest(
  match: CompiledMatch,
  req: Parameters<RequestPredicate>[0],
  path: string,
  query: string,
): boolean {
  const predicates = match.predicates;
  for (let i = 0; i < predicates.length; i++) if (!predicates[i]!(req, path, query)) return false;
  return true;
}
