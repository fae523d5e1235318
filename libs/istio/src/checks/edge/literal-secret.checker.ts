import type { JsonPath } from '@heliomesh/util';
import { at, defineChecker, eachPolicy } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

const SECRET_KEY = /(secret|password|passwd|token|api[-_]?key|credential|private[-_]?key|auth[-_]?key)/i;

function walk(
  value: unknown,
  path: JsonPath,
  visit: (key: string, value: unknown, path: JsonPath) => void,
): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], visit));
  else if (value !== null && typeof value === 'object')
    for (const [key, member] of Object.entries(value)) {
      visit(key, member, [...path, key]);
      walk(member, [...path, key], visit);
    }
}

export const literalSecretChecker = defineChecker(
  {
    code: 'HM4104',
    severity: 'error',
    area: 'edge',
    title: 'Literal secret in a plugin',
    meaning:
      'Plugin config and env are stored in the WasmPlugin object in clear text. Pass secrets by reference: an env entry with fromHost (set on the proxy from a Secret) or imagePullSecret.',
  },
  eachPolicy('Plugin', (p) => {
    const out: FindingDraft[] = [];
    walk(p.spec.config, ['spec', 'config'], (key, value, path) => {
      if (SECRET_KEY.test(key) && typeof value === 'string' && value.length > 0)
        out.push(
          at(p, path, `"${key}" looks like a secret in clear text; reference it instead (env with fromHost)`),
        );
    });
    (p.spec.env ?? []).forEach((e, i) => {
      if (SECRET_KEY.test(e.name) && e.value !== undefined && e.value.length > 0)
        out.push(
          at(
            p,
            ['spec', 'env', i, 'value'],
            `env ${e.name} looks like a secret in clear text; use fromHost: true`,
          ),
        );
    });
    return out;
  }),
);
