import { at, defineChecker, eachPolicy } from '../check.types.js';

export const wasmSchemeChecker = defineChecker(
  {
    code: 'HM4102',
    severity: 'error',
    area: 'edge',
    title: 'Wasm URL scheme not allowed',
    meaning:
      'Plugin modules are fetched from oci:// registries or https:// URLs; http:// is unauthenticated and file:// depends on the node.',
  },
  eachPolicy('Plugin', (p) => {
    const url = p.spec.url;
    const ok =
      (url.startsWith('oci://') && url.length > 'oci://'.length) || /^https:\/\/[^/\s]+\/\S+$/.test(url);
    return ok ? [] : [at(p, ['spec', 'url'], `"${url}" is not an oci:// or https:// URL of a module`)];
  }),
);
