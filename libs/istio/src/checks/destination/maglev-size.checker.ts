import { at, defineChecker, eachPolicy } from '../check.types.js';

function isPrime(n: number): boolean {
  if (n < 2 || !Number.isInteger(n)) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

export const maglevSizeChecker = defineChecker(
  {
    code: 'HM2008',
    severity: 'error',
    area: 'destination',
    title: 'Maglev table size not a prime below 5000011',
    meaning: 'Envoy requires the Maglev table size to be a prime number below 5000011 (default 65537).',
  },
  eachPolicy('LoadBalancer', (p) => {
    const size = p.spec.consistentHash?.maglevTableSize;
    return size !== undefined && (!isPrime(size) || size >= 5_000_011)
      ? [
          at(
            p,
            ['spec', 'consistentHash', 'maglevTableSize'],
            `maglevTableSize ${size} is not a prime below 5000011 (e.g. 65537)`,
          ),
        ]
      : [];
  }),
);
