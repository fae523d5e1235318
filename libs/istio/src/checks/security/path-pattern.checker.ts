import { at, defineChecker, eachPolicy } from '../check.types.js';

/** Why a `to.paths` entry is not an Istio path pattern, or undefined. */
export function pathError(path: string): string | undefined {
  if (path === '*') return undefined;
  const withoutTemplates = path.replace(/\{\*\*?\}/g, '');
  const inner = withoutTemplates.replace(/^\*/, '').replace(/\*$/, '');
  if (inner.includes('*'))
    return '"*" is allowed only at the start or the end (or as a {*} / {**} path segment)';
  if (!path.startsWith('/') && !path.startsWith('*')) return 'paths start with "/"';
  if (path.includes('?')) return 'paths never include the query string, which Istio ignores';
  return undefined;
}

export const pathPatternChecker = defineChecker(
  {
    code: 'HM3009',
    severity: 'error',
    area: 'security',
    title: 'Invalid path pattern',
    meaning:
      'to.paths entries start with "/", may use "*" at the start or end or {*}/{**} segments, and never include a query string.',
  },
  eachPolicy('AccessControl', (p) =>
    (p.spec.to?.paths ?? []).flatMap((path, i) => {
      const error = pathError(path);
      return error ? [at(p, ['spec', 'to', 'paths', i], `"${path}": ${error}`)] : [];
    }),
  ),
);
