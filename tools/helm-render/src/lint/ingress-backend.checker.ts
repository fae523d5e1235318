import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asList, asObj, finding, findManifest } from './manifest-index.util.js';

/** Every Ingress backend is a Service of the chart and a port that Service has. */
export const ingressBackendChecker: ManifestChecker = {
  rule: 'ingress-backend',
  check({ manifests }: LintInput): Finding[] {
    const findings: Finding[] = [];
    for (const ing of manifests.filter((m) => m.kind === 'Ingress')) {
      asList(asObj(ing.object['spec'])['rules']).forEach((rule, i) => {
        asList(asObj(asObj(rule)['http'])['paths']).forEach((p, j) => {
          const path = ['spec', 'rules', i, 'http', 'paths', j, 'backend', 'service'];
          const backend = asObj(asObj(asObj(p)['backend'])['service']);
          const svc = findManifest(manifests, 'Service', String(backend['name']), ing.namespace);
          if (!svc) {
            findings.push(
              finding(
                this.rule,
                ing,
                path,
                `Service "${String(backend['name'])}" is not rendered by the chart`,
              ),
            );
            return;
          }
          const port = asObj(backend['port']);
          const ports = asList(asObj(svc.object['spec'])['ports']).map(asObj);
          const ok = ports.some((sp) =>
            port['name'] !== undefined ? sp['name'] === port['name'] : sp['port'] === port['number'],
          );
          if (!ok)
            findings.push(
              finding(this.rule, ing, [...path, 'port'], `Service "${svc.name}" has no such port`),
            );
        });
      });
    }
    return findings;
  },
};
