/** The parts of a resource URL (`/api/v1/namespaces/ns/pods/name/status`). */
export interface ResourcePath {
  group: string;
  version: string;
  /** '' when the URL names no namespace. */
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
}

export type ApiPath =
  | { kind: 'version' | 'health' | 'api' | 'apis' | 'openapi-v2' | 'openapi-v3-root' }
  | { kind: 'group'; group: string }
  | { kind: 'group-version'; group: string; version: string }
  | { kind: 'openapi-v3-gv'; group: string; version: string }
  | { kind: 'resource'; path: ResourcePath }
  | { kind: 'unknown' };

function resourcePath(group: string, version: string, rest: string[]): ApiPath {
  // namespaces/NS/RES[/NAME[/SUB]] names a namespaced resource unless RES is a subresource of the namespace itself.
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))
  ) {
    const [, namespace, resource, name, subresource, ...extra] = rest;
    if (extra.length > 0) return { kind: 'unknown' };
    return {
      kind: 'resource',
      path: {
        group,
        version,
        namespace: namespace!,
        resource: resource!,
        name: name ?? '',
        subresource: subresource ?? '',
      },
    };
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length > 0) return { kind: 'unknown' };
  return {
    kind: 'resource',
    path: { group, version, namespace: '', resource, name: name ?? '', subresource: subresource ?? '' },
  };
}

/** Classifies a request path; segments are URL-decoded. */
export function parseApiPath(pathname: string): ApiPath {
  const trimmed = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  let segs: string[];
  try {
    segs = trimmed.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { kind: 'unknown' };
  }
  switch (segs[0]) {
    case 'version':
      return segs.length === 1 ? { kind: 'version' } : { kind: 'unknown' };
    case 'healthz':
    case 'livez':
    case 'readyz':
      return { kind: 'health' };
    case 'openapi':
      if (segs[1] === 'v2' && segs.length === 2) return { kind: 'openapi-v2' };
      if (segs[1] !== 'v3') return { kind: 'unknown' };
      if (segs.length === 2) return { kind: 'openapi-v3-root' };
      if (segs[2] === 'api' && segs.length === 4)
        return { kind: 'openapi-v3-gv', group: '', version: segs[3]! };
      if (segs[2] === 'apis' && segs.length === 5)
        return { kind: 'openapi-v3-gv', group: segs[3]!, version: segs[4]! };
      return { kind: 'unknown' };
    case 'api':
      if (segs.length === 1) return { kind: 'api' };
      if (segs.length === 2) return { kind: 'group-version', group: '', version: segs[1]! };
      return resourcePath('', segs[1]!, segs.slice(2));
    case 'apis':
      if (segs.length === 1) return { kind: 'apis' };
      if (segs.length === 2) return { kind: 'group', group: segs[1]! };
      if (segs.length === 3) return { kind: 'group-version', group: segs[1]!, version: segs[2]! };
      return resourcePath(segs[1]!, segs[2]!, segs.slice(3));
    default:
      return { kind: 'unknown' };
  }
}
