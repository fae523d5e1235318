import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asList, asObj, finding, selectorMatches } from './manifest-index.util.js';

/** A ServiceMonitor selects Services of the chart and scrapes a port those Services name. */
export const serviceMonitorChecker: ManifestChecker = {
  rule: 'service-monitor',
  check({ manifests }: LintInput): Finding[] {
    const findings: Finding[] = [];
    for (const sm of manifests.filter((m) => m.kind === 'ServiceMonitor')) {
      const spec = asObj(sm.object['spec']);
      const namespaces = asList(asObj(spec['namespaceSelector'])['matchNames']).map(String);
      const inScope = namespaces.length ? namespaces : [sm.namespace];
      const services = manifests.filter(
        (m) =>
          m.kind === 'Service' &&
          inScope.includes(m.namespace) &&
          selectorMatches(
            spec['selector'],
            asObj(asObj(m.object['metadata'])['labels']) as Record<string, string>,
          ),
      );
      if (services.length === 0) {
        findings.push(
          finding(this.rule, sm, ['spec', 'selector'], 'selects no Service rendered by the chart'),
        );
        continue;
      }
      asList(spec['endpoints']).forEach((e, i) => {
        const port = asObj(e)['port'];
        if (typeof port !== 'string') return;
        const named = services.every((s) =>
          asList(asObj(s.object['spec'])['ports']).some((p) => asObj(p)['name'] === port),
        );
        if (!named)
          findings.push(
            finding(
              this.rule,
              sm,
              ['spec', 'endpoints', i, 'port'],
              `port "${port}" is not named by every selected Service`,
            ),
          );
      });
    }
    return findings;
  },
};
