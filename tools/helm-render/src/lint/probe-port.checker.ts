import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asList, asObj, containers, finding, podTemplates } from './manifest-index.util.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const ACTIONS = ['httpGet', 'tcpSocket', 'grpc'] as const;

/** Every probe checks a port its own container declares (by name or number). */
export const probePortChecker: ManifestChecker = {
  rule: 'probe-port',
  check({ manifests }: LintInput): Finding[] {
    const findings: Finding[] = [];
    for (const pod of podTemplates(manifests)) {
      for (const { container, path } of containers(pod.spec)) {
        const ports = asList(container['ports']).map(asObj);
        for (const probe of PROBES) {
          for (const action of ACTIONS) {
            const port = asObj(asObj(container[probe])[action])['port'];
            if (port === undefined) continue;
            const declared = ports.some((p) =>
              typeof port === 'string' ? p['name'] === port : p['containerPort'] === port,
            );
            if (!declared) {
              findings.push(
                finding(
                  this.rule,
                  pod.owner,
                  [...pod.specPath, ...path, probe, action, 'port'],
                  `probe port ${String(port)} is not a port of container "${String(container['name'])}"`,
                ),
              );
            }
          }
        }
      }
    }
    return findings;
  },
};
