import { at, defineChecker, eachPolicy } from '../check.types.js';

const HONOURED = new Set([301, 302, 303, 307, 308]);

export const redirectCodeChecker = defineChecker(
  {
    code: 'HM1013',
    severity: 'error',
    area: 'routing',
    title: 'Redirect code Envoy ignores',
    meaning:
      'Envoy honours redirect codes 301, 302, 303, 307 and 308 only; istiod drops the redirect action for any other code.',
  },
  eachPolicy('RequestRouting', (p) =>
    p.spec.rules.flatMap((r, i) => {
      const code = r.redirect?.code;
      return code !== undefined && !HONOURED.has(code)
        ? [
            at(
              p,
              ['spec', 'rules', i, 'redirect', 'code'],
              `redirect code ${code} is not one Envoy honours (301, 302, 303, 307, 308)`,
            ),
          ]
        : [];
    }),
  ),
);
