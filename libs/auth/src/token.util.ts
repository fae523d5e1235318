import { randomBytes } from 'node:crypto';
import { sha256Hex } from '@heliomesh/util';

/** Tokens look like `hm_` + 43 base64url characters (256 random bits), so they are easy to grep for in leaks. */
const TOKEN_PATTERN = /^hm_[A-Za-z0-9_-]{43}$/;

export interface GeneratedToken {
  /** Shown to the caller once; never stored. */
  secret: string;
  hash: string;
  /** The first characters, stored to tell tokens apart in lists. */
  prefix: string;
}

export function generateToken(): GeneratedToken {
  const secret = `hm_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashToken(secret), prefix: secret.slice(0, 10) };
}

export function hashToken(secret: string): string {
  return sha256Hex(secret);
}

export function isWellFormedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}
