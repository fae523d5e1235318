import { at, defineChecker, eachPolicy } from '../check.types.js';

export const remoteIpChecker = defineChecker(
  {
    code: 'HM3006',
    severity: 'info',
    area: 'security',
    title: 'remoteIpBlocks needs trusted proxies',
    meaning:
      'remoteIpBlocks reads the client address from X-Forwarded-For or the PROXY protocol, which is only trustworthy when the mesh sets numTrustedProxies for the gateways in front.',
  },
  eachPolicy('AccessControl', (p) =>
    p.spec.from?.remoteIpBlocks
      ? [
          at(
            p,
            ['spec', 'from', 'remoteIpBlocks'],
            'remoteIpBlocks uses X-Forwarded-For: make sure the gateway sets numTrustedProxies, or use ipBlocks for the peer address',
          ),
        ]
      : [],
  ),
);
