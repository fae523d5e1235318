import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.util.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32).toString('base64'));

  it('round-trips and never repeats a ciphertext', () => {
    const a = box.seal('apiVersion: v1\nkind: Config\n');
    const b = box.seal('apiVersion: v1\nkind: Config\n');
    expect(a.equals(b)).toBe(false);
    expect(box.open(a)).toBe('apiVersion: v1\nkind: Config\n');
  });

  it('refuses a tampered ciphertext and another key', () => {
    const sealed = box.seal('secret');
    sealed[sealed.length - 1]! ^= 1;
    expect(() => box.open(sealed)).toThrow(/cannot be decrypted/);
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(box.seal('x'))).toThrow(
      /CLUSTER_SECRET_KEY/,
    );
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
