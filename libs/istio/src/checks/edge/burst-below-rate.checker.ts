import { at, defineChecker, eachPolicy } from '../check.types.js';

export const burstBelowRateChecker = defineChecker(
  {
    code: 'HM4001',
    severity: 'error',
    area: 'edge',
    title: 'Rate limit burst below the rate',
    meaning:
      'The token bucket holds `burst` tokens and is refilled with `requests` per unit; a bucket smaller than one refill silently caps the rate at the burst. Set burst to at least the rate, or leave it out.',
  },
  eachPolicy('RateLimit', (p) => {
    const { burst, requests, unit } = p.spec;
    return burst !== undefined && burst < requests
      ? [
          at(
            p,
            ['spec', 'burst'],
            `burst ${burst} is below the rate of ${requests} per ${unit}, so at most ${burst} requests per ${unit} get through`,
          ),
        ]
      : [];
  }),
);
