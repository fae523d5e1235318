import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asList, asObj, containers, finding, podTemplates, selectorMatches } from './manifest-index.util.js';

/** A NetworkPolicy applies to pods of the chart, and the named ports it opens are ports of those pods. */
export const networkPolicyChecker: ManifestChecker = {
  rule: 'network-policy',
  check({ manifests }: LintInput): Finding[] {
    const findings: Finding[] = [];
    const pods = podTemplates(manifests).filter((p) => !p.owner.hook);
    for (const np of manifests.filter((m) => m.kind === 'NetworkPolicy')) {
      const spec = asObj(np.object['spec']);
      const selected = pods.filter(
        (p) => p.owner.namespace === np.namespace && selectorMatches(spec['podSelector'], p.labels),
      );
      if (selected.length === 0) {
        findings.push(
          finding(this.rule, np, ['spec', 'podSelector'], 'selects no pod template rendered by the chart'),
        );
        continue;
      }
      const portNames = (spec0: Record<string, unknown>) =>
        containers(spec0).flatMap(({ container }) => asList(container['ports']).map((p) => asObj(p)['name']));
      asList(spec['ingress']).forEach((rule, i) => {
        asList(asObj(rule)['ports']).forEach((p, j) => {
          const port = asObj(p)['port'];
          if (typeof port !== 'string') return;
          if (!selected.every((pod) => portNames(pod.spec).includes(port))) {
            findings.push(
              finding(
                this.rule,
                np,
                ['spec', 'ingress', i, 'ports', j, 'port'],
                `port "${port}" is not a port of every selected pod`,
              ),
            );
          }
        });
      });
    }
    return findings;
  },
};
