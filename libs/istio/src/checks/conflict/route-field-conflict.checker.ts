import { defineChecker } from '../check.types.js';
import { between, collisionDraft, crossSource } from './conflict.util.js';

export const routeFieldConflictChecker = defineChecker(
  {
    code: 'HM5001',
    severity: 'error',
    area: 'conflict',
    title: 'Two policies set the same route field',
    meaning:
      'Two policies set the same field (route destinations, a fault abort or delay, a mirror, a timeout, retries, a header) of the same route, e.g. two TrafficSplits on one service or two aborts on one match. Neither silently wins: merge them into one policy or give them different matches.',
  },
  ({ model }) =>
    model.collisions
      .filter((c) => c.object === 'route' && !c.overridden && crossSource(c))
      .map((c) =>
        collisionDraft(
          c,
          `${between(c)} both set ${c.field} on the ${c.scope}; merge them or narrow one with a different match`,
        ),
      ),
);
