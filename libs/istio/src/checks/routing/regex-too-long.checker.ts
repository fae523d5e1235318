import { MAX_REGEX_LENGTH } from '../re2.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';
import { stringMatches, userMatches } from './matches.util.js';

export const regexTooLongChecker = defineChecker(
  {
    code: 'HM1007',
    severity: 'error',
    area: 'routing',
    title: 'Regex longer than 1024 characters',
    meaning: 'Istio rejects regexes longer than 1024 characters before Envoy compiles them.',
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const located of userMatches(ctx))
      for (const sm of stringMatches(located.match, located.path))
        if (sm.value.regex !== undefined && sm.value.regex.length > MAX_REGEX_LENGTH)
          out.push({
            message: `regex is ${sm.value.regex.length} characters; Istio allows at most ${MAX_REGEX_LENGTH}`,
            path: [...sm.path, 'regex'],
            ...located.owner,
          });
    return out;
  },
);
