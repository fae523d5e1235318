import { HeliomeshError } from '@heliomesh/util';

/**
 * Chart.yaml's kubeVersion constraint, as Helm checks it before rendering. Supports the forms
 * charts use: comparisons (`>=1.27.0-0`, `<1.32`), space- or comma-separated (all must hold),
 * and `||` between alternatives. A `-0` pre-release suffix only admits pre-release builds, which
 * a plain version like the one rendered against never is, so it is ignored.
 */

type Triple = [number, number, number];

function parseVersion(text: string): Triple | null {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
}

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function holds(op: string, cmp: number): boolean {
  switch (op) {
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '!=':
      return cmp !== 0;
    default:
      return cmp === 0;
  }
}

function invalid(constraint: string): never {
  throw new HeliomeshError({
    code: 'CHART_INVALID',
    status: 422,
    message: `Chart.yaml kubeVersion "${constraint}" is not a constraint this renderer understands (use comparisons such as >=1.27.0-0)`,
    path: ['Chart.yaml', 'kubeVersion'],
  });
}

export function satisfiesKubeVersion(constraint: string, version: string): boolean {
  const actual = parseVersion(version);
  if (!actual) invalid(constraint);
  return constraint.split('||').some((group) => {
    const terms = group.split(/[\s,]+/).filter(Boolean);
    if (terms.length === 0) invalid(constraint);
    return terms.every((term) => {
      const m = /^(>=|<=|!=|>|<|=)?(.+)$/.exec(term);
      const wanted = m && parseVersion(m[2]!);
      if (!wanted) invalid(constraint);
      return holds(m![1] ?? '=', compare(actual, wanted));
    });
  });
}

export function assertKubeVersion(constraint: string | undefined, version: string): void {
  if (!constraint || satisfiesKubeVersion(constraint, version)) return;
  throw new HeliomeshError({
    code: 'KUBE_VERSION_INCOMPATIBLE',
    status: 422,
    message: `chart requires kubeVersion: ${constraint} which is incompatible with Kubernetes ${version}`,
    path: ['Chart.yaml', 'kubeVersion'],
  });
}
