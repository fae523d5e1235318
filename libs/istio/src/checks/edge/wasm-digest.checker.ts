import { at, defineChecker, eachPolicy } from '../check.types.js';

export const wasmDigestChecker = defineChecker(
  {
    code: 'HM4101',
    severity: 'error',
    area: 'edge',
    title: 'Wasm module without a digest',
    meaning:
      'Without a digest (oci://...@sha256:... or the sha256 field), proxies run whatever the URL serves today: pin the module.',
  },
  eachPolicy('Plugin', (p) => {
    const { url, sha256 } = p.spec;
    if (sha256 !== undefined || /@sha256:[0-9a-f]{64}$/.test(url)) return [];
    return [
      at(
        p,
        ['spec', 'sha256'],
        `${url} is not pinned; add sha256 (or use an oci:// reference with @sha256:<digest>)`,
      ),
    ];
  }),
);
