import { canonicalJson } from '@heliomesh/util';
import {
  getPath,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type KubeObject,
} from '../api/object.types.js';

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a, the hash the Deployment controller uses for pod-template-hash. */
export function fnv32a(input: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString of the decimal hash, as in `web-7d9f8b6c5d`. */
export function podTemplateHash(template: JsonValue | undefined): string {
  const digits = String(fnv32a(canonicalJson(template ?? {})));
  let out = '';
  for (const ch of digits) out += safeAlphabet[ch.charCodeAt(0) % safeAlphabet.length];
  return out;
}

export function labelsOf(obj: JsonValue | undefined, path: string[]): Record<string, string> {
  const v = getPath(obj, path);
  const out: Record<string, string> = {};
  if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

export function num(v: JsonValue | undefined, fallback = 0): number {
  return typeof v === 'number' ? v : fallback;
}

export function isPodReady(pod: KubeObject): boolean {
  const conditions = getPath(pod, ['status', 'conditions']);
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => isJsonObject(c) && c['type'] === 'Ready' && c['status'] === 'True')
  );
}

/** Keeps lastTransitionTime of conditions whose status did not change, so no-op status writes stay no-ops. */
export function mergeConditions(previous: JsonValue | undefined, next: JsonObject[]): JsonObject[] {
  const prev = Array.isArray(previous) ? previous.filter(isJsonObject) : [];
  return next.map((c) => {
    const old = prev.find((p) => p['type'] === c['type']);
    if (
      old &&
      old['status'] === c['status'] &&
      old['reason'] === c['reason'] &&
      old['message'] === c['message']
    )
      return old;
    if (old && old['status'] === c['status'])
      return { ...c, lastTransitionTime: old['lastTransitionTime'] ?? c['lastTransitionTime'] ?? null };
    return c;
  });
}
