import { defineChecker } from '../check.types.js';
import { between, collisionDraft, crossSource } from './conflict.util.js';

export const destinationFieldConflictChecker = defineChecker(
  {
    code: 'HM5002',
    severity: 'error',
    area: 'conflict',
    title: 'Two policies set the same DestinationRule field',
    meaning:
      'Two CircuitBreaker, LoadBalancer or sticky-session settings write the same DestinationRule field for the same scope (the service or one version). Merge them into one policy.',
  },
  ({ model }) =>
    model.collisions
      .filter((c) => c.object === 'destination' && !c.overridden && crossSource(c))
      .map((c) =>
        collisionDraft(
          c,
          `${between(c)} both set ${c.field} in the DestinationRule ${c.scope}; merge them into one policy`,
        ),
      ),
);
