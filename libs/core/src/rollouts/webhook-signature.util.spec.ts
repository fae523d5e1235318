import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhookSignature } from './webhook-signature.util.js';

describe('webhook signatures', () => {
  const secret = generateWebhookSecret();
  const now = 1_800_000_000;

  it('signs with HMAC-SHA256 over "<timestamp>.<body>" (a fixed vector)', () => {
    // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test'
    expect(signWebhook('whsec_test', '{"a":1}', 1_700_000_000)).toBe(
      't=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789',
    );
  });

  it('verifies its own signatures and nothing altered', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (body, extra) => {
        const header = signWebhook(secret, body, now);
        expect(verifyWebhookSignature(secret, header, body, { nowSec: now })).toBe(true);
        expect(verifyWebhookSignature(secret, header, body + extra, { nowSec: now })).toBe(false);
        expect(verifyWebhookSignature(`${secret}x`, header, body, { nowSec: now })).toBe(false);
      }),
    );
  });

  it('rejects stale, future and malformed signatures', () => {
    const header = signWebhook(secret, 'x', now);
    expect(verifyWebhookSignature(secret, header, 'x', { nowSec: now + 301 })).toBe(false);
    expect(verifyWebhookSignature(secret, header, 'x', { nowSec: now - 301 })).toBe(false);
    expect(verifyWebhookSignature(secret, header, 'x', { nowSec: now + 300 })).toBe(true);
    for (const bad of [undefined, '', 't=1', 'v1=ab', 't=x,v1=00', `t=${now},v1=zz`, 'garbage'])
      expect(verifyWebhookSignature(secret, bad, 'x', { nowSec: now })).toBe(false);
  });

  it('makes a fresh secret every time', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
