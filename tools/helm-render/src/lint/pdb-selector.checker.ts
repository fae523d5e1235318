import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asObj, finding, podTemplates, selectorMatches } from './manifest-index.util.js';

/** A PodDisruptionBudget protects pods the chart runs; one that selects nothing protects nothing. */
export const pdbSelectorChecker: ManifestChecker = {
  rule: 'pdb-selector',
  check({ manifests }: LintInput): Finding[] {
    const pods = podTemplates(manifests).filter((p) => !p.owner.hook);
    return manifests
      .filter((m) => m.kind === 'PodDisruptionBudget')
      .filter((pdb) => {
        const selector = asObj(pdb.object['spec'])['selector'];
        return !pods.some((p) => p.owner.namespace === pdb.namespace && selectorMatches(selector, p.labels));
      })
      .map((pdb) =>
        finding(this.rule, pdb, ['spec', 'selector'], 'selects no pod template rendered by the chart'),
      );
  },
};
