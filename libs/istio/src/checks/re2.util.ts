import { createRequire } from 'node:module';

/**
 * Envoy compiles regexes with RE2, whose syntax differs from JavaScript's (no look-around, no
 * back-references, repetition capped at 1000). Patterns are checked with a real RE2 (re2-wasm,
 * loaded synchronously once). Its WrappedRE2 takes the raw pattern, unlike the package's RE2
 * class, which first rewrites JavaScript syntax. Results are cached: compiling costs ~0.1 ms.
 */

interface WrappedRE2 {
  ok(): boolean;
  error(): string;
  delete(): void;
}
type WrappedRE2Constructor = new (
  pattern: string,
  ignoreCase: boolean,
  multiline: boolean,
  dotAll: boolean,
) => WrappedRE2;

const require = createRequire(import.meta.url);
const { WrappedRE2 } = require('re2-wasm/build/wasm/re2.js') as { WrappedRE2: WrappedRE2Constructor };

/** Istio rejects longer regexes before Envoy sees them. */
export const MAX_REGEX_LENGTH = 1024;

const cache = new Map<string, string | null>();
const CACHE_LIMIT = 50_000;

/** Why RE2 rejects `pattern`, or undefined when it compiles. */
export function re2Error(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH) return `longer than ${MAX_REGEX_LENGTH} characters`;
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached ?? undefined;
  let error: string | null;
  try {
    // Each instance lives in the WASM heap and must be freed, or the 16 MB heap runs out.
    const re = new WrappedRE2(pattern, false, false, false);
    try {
      error = re.ok() ? null : re.error() || 'invalid pattern';
    } finally {
      re.delete();
    }
  } catch {
    error = 'RE2 could not compile the pattern';
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, error);
  return error ?? undefined;
}
