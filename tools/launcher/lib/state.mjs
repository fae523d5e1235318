import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Secrets the launcher keeps between runs, readable by the owner only. */
export function readSecret(stateDir, name) {
  const file = join(stateDir, name);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

export function writeSecret(stateDir, name, value) {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, name);
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** The local platform admin token: generated once per checkout, passed to the API as ADMIN_TOKEN. */
export function adminToken(stateDir, fromEnv) {
  if (fromEnv) return fromEnv;
  const existing = readSecret(stateDir, 'admin-token');
  if (existing) return existing;
  const token = `hm_${randomBytes(32).toString('base64url')}`;
  writeSecret(stateDir, 'admin-token', token);
  return token;
}
