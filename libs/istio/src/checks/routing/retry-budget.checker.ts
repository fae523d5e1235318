import { parseDuration } from '@heliomesh/policy';
import type { Claim } from '../../model/claims.util.js';
import { ROUTE_FIELDS, type RetriesValue } from '../../model/host-model.util.js';
import { sourceId } from '../../model/claims.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const retryBudgetChecker = defineChecker(
  {
    code: 'HM1015',
    severity: 'warning',
    area: 'routing',
    title: 'perTryTimeout × tries exceeds the timeout',
    meaning:
      'The route timeout covers every try and backoff. With the first try plus `attempts` retries of up to perTryTimeout each, the timeout expires first and cuts the last retries short (504 UT).',
  },
  ({ routes }) => {
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const route of routes) {
      const retries = route.fields.get(ROUTE_FIELDS.retries) as Claim<RetriesValue> | undefined;
      const timeout = route.fields.get(ROUTE_FIELDS.timeout) as Claim<string> | undefined;
      if (!retries || !timeout || retries.value.attempts <= 0 || retries.value.perTryTimeout === undefined)
        continue;
      const perTry = parseDuration(retries.value.perTryTimeout);
      const total = parseDuration(timeout.value);
      if (perTry === undefined || total === undefined || total === 0) continue;
      const tries = retries.value.attempts + 1;
      if (perTry * tries <= total) continue;
      const ids = [sourceId(retries.source), sourceId(timeout.source)];
      const key = ids.join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        message: `${tries} tries × perTryTimeout ${retries.value.perTryTimeout} = ${perTry * tries}ms exceeds the timeout ${timeout.value}; raise the timeout or lower attempts or perTryTimeout`,
        path: retries.source.path,
        policyIds: [retries.source, timeout.source].flatMap((s) =>
          s.kind === 'policy' ? [s.policy.id] : [],
        ),
      });
    }
    return out;
  },
);
