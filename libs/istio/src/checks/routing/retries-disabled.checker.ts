import { at, defineChecker, eachPolicy } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const retriesDisabledChecker = defineChecker(
  {
    code: 'HM1023',
    severity: 'error',
    area: 'routing',
    title: 'Invalid retry attempts',
    meaning:
      'attempts must be 0 or more; attempts 0 disables retries, so perTryTimeout, retryOn and retryRemoteLocalities cannot be combined with it.',
  },
  eachPolicy('Retry', (p) => {
    const out: FindingDraft[] = [];
    const { attempts, perTryTimeout, retryOn, retryRemoteLocalities } = p.spec;
    if (attempts < 0) out.push(at(p, ['spec', 'attempts'], `attempts ${attempts} is negative`));
    if (
      attempts === 0 &&
      (perTryTimeout !== undefined || retryOn !== undefined || retryRemoteLocalities !== undefined)
    )
      out.push(
        at(
          p,
          ['spec', 'attempts'],
          'attempts 0 disables retries; remove perTryTimeout, retryOn and retryRemoteLocalities or set attempts above 0',
        ),
      );
    return out;
  }),
);
