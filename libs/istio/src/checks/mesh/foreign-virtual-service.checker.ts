import { defineChecker } from '../check.types.js';

export const foreignVirtualServiceChecker = defineChecker(
  {
    code: 'HM0004',
    severity: 'error',
    area: 'mesh',
    title: 'A foreign VirtualService claims the host',
    meaning:
      'A VirtualService not managed by Heliomesh (or by another tenant) already binds this host for the mesh. Sidecars use only one VirtualService per host, so Heliomesh generates nothing for it: delete or migrate the other VirtualService first.',
  },
  ({ unit }) =>
    unit.foreign
      .filter((o) => o.kind === 'VirtualService')
      .map((o) => ({
        message: `VirtualService ${o.metadata.namespace ?? 'default'}/${o.metadata.name} already routes ${unit.host}; Heliomesh will not overwrite it. Remove it or take its rules into Heliomesh policies.`,
        path: ['spec', 'hosts'],
        object: `VirtualService ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`,
      })),
);
