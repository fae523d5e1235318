import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roleAllows } from './roles.util.js';
import { generateToken, hashToken, isWellFormedToken } from './token.util.js';

describe('tokens', () => {
  it('generates well-formed, unique secrets whose hash and prefix are stable', () => {
    const a = generateToken();
    const b = generateToken();
    expect(isWellFormedToken(a.secret)).toBe(true);
    expect(a.secret).not.toBe(b.secret);
    expect(a.hash).toBe(hashToken(a.secret));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.secret.startsWith(a.prefix)).toBe(true);
  });

  it('accepts only hm_ plus 43 base64url characters', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(isWellFormedToken(s)).toBe(/^hm_[A-Za-z0-9_-]{43}$/.test(s));
      }),
    );
    expect(isWellFormedToken(`hm_${'a'.repeat(42)}`)).toBe(false);
    expect(isWellFormedToken(`hm_${'a'.repeat(43)}`)).toBe(true);
  });

  it('orders roles viewer < operator < admin', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows('viewer', 'operator')).toBe(false);
  });
});
