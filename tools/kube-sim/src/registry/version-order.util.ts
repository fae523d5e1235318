const kubeVersionRe = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes version priority (apimachinery version.CompareKubeAwareVersionStrings): GA before beta
 * before alpha, higher numbers first, then non-Kubernetes-looking versions alphabetically.
 */
export function compareKubeVersions(a: string, b: string): number {
  const ma = kubeVersionRe.exec(a);
  const mb = kubeVersionRe.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a.localeCompare(b);
  }
  const rank = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  if (rank(ma) !== rank(mb)) return rank(mb) - rank(ma);
  if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

export function sortVersions(versions: string[]): string[] {
  return [...versions].sort(compareKubeVersions);
}
