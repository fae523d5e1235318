import { MANAGED_BY } from '../../snapshot/snapshot-index.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const invalidNameChecker = defineChecker(
  {
    code: 'HM0008',
    severity: 'error',
    area: 'mesh',
    title: 'Invalid service, namespace or tenant name',
    meaning:
      'Service and namespace names must be DNS-1123 labels, and the tenant name must be a valid label value (63 characters of letters, digits, "-", "_", "."), since they end up in hosts and labels.',
  },
  ({ unit, index }) => {
    const out: FindingDraft[] = [];
    const { name, namespace } = unit.service;
    for (const [field, value] of [
      ['name', name],
      ['namespace', namespace],
    ] as const)
      if (value.length > 63 || !DNS_LABEL.test(value))
        out.push({
          message: `service ${field} "${value}" is not a DNS-1123 label`,
          path: ['services', unit.serviceIndex, field],
        });
    const tenant = index.snapshot.tenant.name;
    if (tenant.length > 63 || !LABEL_VALUE.test(tenant) || tenant.length === 0)
      out.push({
        message: `tenant name "${tenant}" cannot be a label value on ${MANAGED_BY} objects`,
        path: ['tenant', 'name'],
      });
    return out;
  },
);
