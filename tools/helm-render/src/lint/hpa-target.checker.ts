import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asObj, finding, findManifest } from './manifest-index.util.js';

/**
 * An HPA scales a workload the chart renders, and that workload leaves `replicas` unset: a fixed
 * count would be re-applied on every upgrade and fight the autoscaler.
 */
export const hpaTargetChecker: ManifestChecker = {
  rule: 'hpa-target',
  check({ manifests }: LintInput): Finding[] {
    const findings: Finding[] = [];
    for (const hpa of manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler')) {
      const ref = asObj(asObj(hpa.object['spec'])['scaleTargetRef']);
      const target = findManifest(manifests, String(ref['kind']), String(ref['name']), hpa.namespace);
      if (!target) {
        findings.push(
          finding(
            this.rule,
            hpa,
            ['spec', 'scaleTargetRef'],
            `${String(ref['kind'])} "${String(ref['name'])}" is not rendered by the chart`,
          ),
        );
      } else if (asObj(target.object['spec'])['replicas'] !== undefined) {
        findings.push(
          finding(
            this.rule,
            hpa,
            ['spec', 'scaleTargetRef'],
            `${target.kind} "${target.name}" sets spec.replicas, which would fight this autoscaler`,
          ),
        );
      }
    }
    return findings;
  },
};
