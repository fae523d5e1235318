import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credentialsFromConnectionParams, credentialsFromHeaders } from './gateway-auth.service.js';

describe('credentials', () => {
  it('reads the REST headers from HTTP requests', () => {
    expect(
      credentialsFromHeaders(
        { authorization: 'Bearer x', 'x-heliomesh-tenant': ['demo', 'other'], 'x-change-reason': 'why' },
        'r1',
      ),
    ).toEqual({ authorization: 'Bearer x', tenant: 'demo', reason: 'why', requestId: 'r1' });
  });

  it('reads connection parameters at the top level or under headers, in any case', () => {
    expect(
      credentialsFromConnectionParams({ Authorization: 'Bearer a', 'X-Heliomesh-Tenant': 't' }, 'r'),
    ).toEqual({
      authorization: 'Bearer a',
      tenant: 't',
      requestId: 'r',
    });
    expect(credentialsFromConnectionParams({ headers: { authorization: 'Bearer b' } }, 'r')).toEqual({
      authorization: 'Bearer b',
      requestId: 'r',
    });
  });

  it('never throws on whatever a client sends as connection_init payload, and ignores non-strings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => {
        const creds = credentialsFromConnectionParams(payload, 'r');
        expect(creds.requestId).toBe('r');
        for (const key of ['authorization', 'tenant', 'reason'] as const)
          if (key in creds) expect(typeof creds[key]).toBe('string');
      }),
    );
  });
});
