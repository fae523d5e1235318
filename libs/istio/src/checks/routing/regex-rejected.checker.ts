import { MAX_REGEX_LENGTH, re2Error } from '../re2.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';
import { stringMatches, userMatches } from './matches.util.js';

export const regexRejectedChecker = defineChecker(
  {
    code: 'HM1006',
    severity: 'error',
    area: 'routing',
    title: 'Regex rejected by RE2',
    meaning:
      'Envoy matches regexes with RE2, not JavaScript RegExp: no look-around, no back-references, repetition counts up to 1000, at most 1024 characters. The pattern does not compile in RE2.',
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const located of userMatches(ctx))
      for (const sm of stringMatches(located.match, located.path)) {
        // Over-long patterns are HM1007's, so one problem gives one finding.
        if (sm.value.regex === undefined || sm.value.regex.length > MAX_REGEX_LENGTH) continue;
        const error = re2Error(sm.value.regex);
        if (error)
          out.push({
            message: `RE2 rejects ${JSON.stringify(sm.value.regex)}: ${error}`,
            path: [...sm.path, 'regex'],
            ...located.owner,
          });
      }
    return out;
  },
);
