import { defineChecker } from '../check.types.js';

export const foreignDestinationRuleChecker = defineChecker(
  {
    code: 'HM0006',
    severity: 'warning',
    area: 'mesh',
    title: 'A foreign DestinationRule covers the host',
    meaning:
      'Istio merges DestinationRules for one host: the first definition of a subset and the first top-level traffic policy win, so the other rule may shadow Heliomesh settings.',
  },
  ({ unit }) =>
    unit.foreign
      .filter((o) => o.kind === 'DestinationRule')
      .map((o) => ({
        message: `DestinationRule ${o.metadata.namespace ?? 'default'}/${o.metadata.name} also covers ${unit.host}; its subsets or traffic policy may win over Heliomesh's`,
        path: ['spec', 'host'],
        object: `DestinationRule ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`,
      })),
);
