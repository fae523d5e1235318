import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';
import { userMatches } from './matches.util.js';

/** RFC 7230 token characters, lowercase as Istio requires for header matches. */
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const RESERVED = new Set(['uri', 'scheme', 'method', 'authority']);

export const headerNameChecker = defineChecker(
  {
    code: 'HM1020',
    severity: 'error',
    area: 'routing',
    title: 'Invalid header name in a match',
    meaning:
      'Header names in matches must be lowercase HTTP tokens. The keys uri, scheme, method and authority are ignored by Istio inside `headers`: use the match fields of those names.',
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { match, path, owner } of userMatches(ctx))
      for (const field of ['headers', 'withoutHeaders'] as const)
        for (const name of Object.keys(match[field] ?? {})) {
          if (RESERVED.has(name))
            out.push({
              message: `"${name}" is ignored inside ${field}; use the match field "${name}" instead`,
              path: [...path, field, name],
              ...owner,
            });
          else if (!HEADER_NAME.test(name))
            out.push({
              message: `header name "${name}" must be a lowercase HTTP token${name.toLowerCase() !== name ? ` (use "${name.toLowerCase()}")` : ''}`,
              path: [...path, field, name],
              ...owner,
            });
        }
    return out;
  },
);
