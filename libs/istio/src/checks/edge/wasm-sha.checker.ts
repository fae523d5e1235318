import { at, defineChecker, eachPolicy } from '../check.types.js';

export const wasmShaChecker = defineChecker(
  {
    code: 'HM4103',
    severity: 'error',
    area: 'edge',
    title: 'Invalid sha256',
    meaning: "sha256 is the module's SHA-256 as 64 lowercase hex digits.",
  },
  eachPolicy('Plugin', (p) =>
    p.spec.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(p.spec.sha256)
      ? [at(p, ['spec', 'sha256'], 'sha256 must be 64 lowercase hex digits')]
      : [],
  ),
);
