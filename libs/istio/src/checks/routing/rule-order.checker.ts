import { matchKey, mayOverlap, routeMatchOf } from '../../model/match.util.js';
import { at, defineChecker, eachPolicy } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const ruleOrderChecker = defineChecker(
  {
    code: 'HM1019',
    severity: 'warning',
    area: 'routing',
    title: 'Rules reordered by specificity',
    meaning:
      'Routes are emitted most specific first (see Precedence). Two rules of one RequestRouting whose matches can both hold for one request end up in a different order than written, so the later rule wins for such requests.',
  },
  eachPolicy('RequestRouting', (p, ctx) => {
    const position = new Map<string, number>();
    ctx.routes.forEach((r, i) => {
      const key = matchKey(r.match);
      if (!position.has(key)) position.set(key, i);
    });
    const rules = p.spec.rules.map((r) => routeMatchOf(p.target, r.match));
    const out: FindingDraft[] = [];
    for (let i = 0; i < rules.length; i++)
      for (let j = i + 1; j < rules.length; j++) {
        const a = rules[i];
        const b = rules[j];
        if (!a || !b) continue;
        const pa = position.get(matchKey(a));
        const pb = position.get(matchKey(b));
        if (pa === undefined || pb === undefined || pb >= pa || !mayOverlap(a, b)) continue;
        out.push(
          at(
            p,
            ['spec', 'rules', j],
            `rule ${j} is more specific than rule ${i} and is evaluated first; a request matching both goes to rule ${j}`,
          ),
        );
      }
    return out;
  }),
);
