import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';
import { stringMatches, userMatches } from './matches.util.js';

export const emptyMatchValueChecker = defineChecker(
  {
    code: 'HM1022',
    severity: 'error',
    area: 'routing',
    title: 'Empty prefix or regex',
    meaning:
      'Istio rejects an empty `prefix` or `regex` in a header or query condition (an empty URI prefix is allowed and matches everything).',
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const located of userMatches(ctx))
      for (const sm of stringMatches(located.match, located.path)) {
        const kind = sm.value.prefix === '' ? 'prefix' : sm.value.regex === '' ? 'regex' : undefined;
        if (!kind || (sm.field === 'uri' && kind === 'prefix')) continue;
        out.push({
          message: `empty ${kind} in ${sm.field}${sm.name ? `.${sm.name}` : ''}; give a value or drop the condition`,
          path: [...sm.path, kind],
          ...located.owner,
        });
      }
    return out;
  },
);
