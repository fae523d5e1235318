import { at, defineChecker, eachPolicy } from '../check.types.js';

const SUPPORTED = new Set(['uri', 'method', 'headers', 'port']);

export const rateLimitMatchChecker = defineChecker(
  {
    code: 'HM4004',
    severity: 'error',
    area: 'edge',
    title: 'Match condition a rate limit cannot test',
    meaning:
      "A local rate limit runs on the service's inbound side and can select requests by uri, method and headers only (and target.port).",
  },
  eachPolicy('RateLimit', (p) =>
    Object.keys(p.target.match ?? {})
      .filter((field) => !SUPPORTED.has(field))
      .map((field) =>
        at(
          p,
          ['target', 'match', field],
          `a rate limit cannot select requests by ${field}; use uri, method or headers`,
        ),
      ),
  ),
);
