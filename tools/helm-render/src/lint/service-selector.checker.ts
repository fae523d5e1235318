import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asList, asObj, containers, finding, podTemplates, selectorMatches } from './manifest-index.util.js';

/** A Service selects pods of the chart, and each targetPort is a port those pods expose. */
export const serviceSelectorChecker: ManifestChecker = {
  rule: 'service-selector',
  check({ manifests }: LintInput): Finding[] {
    const findings: Finding[] = [];
    const pods = podTemplates(manifests);
    for (const svc of manifests.filter((m) => m.kind === 'Service')) {
      const spec = asObj(svc.object['spec']);
      const selector = asObj(spec['selector']);
      if (Object.keys(selector).length === 0) continue;
      const selected = pods.filter(
        (p) =>
          p.owner.namespace === svc.namespace &&
          !p.owner.hook &&
          selectorMatches({ matchLabels: selector }, p.labels),
      );
      if (selected.length === 0) {
        findings.push(
          finding(this.rule, svc, ['spec', 'selector'], 'selects no pod template rendered by the chart'),
        );
        continue;
      }
      asList(spec['ports']).forEach((p, i) => {
        const port = asObj(p);
        const target = port['targetPort'] ?? port['port'];
        const exposed = selected.every((pod) =>
          containers(pod.spec).some(({ container }) =>
            asList(container['ports']).some((cp) => {
              const c = asObj(cp);
              return typeof target === 'string' ? c['name'] === target : c['containerPort'] === target;
            }),
          ),
        );
        if (!exposed) {
          findings.push(
            finding(
              this.rule,
              svc,
              ['spec', 'ports', i, 'targetPort'],
              `targetPort ${String(target)} is not a port of every selected pod`,
            ),
          );
        }
      });
    }
    return findings;
  },
};
