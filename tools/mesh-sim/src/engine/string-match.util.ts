import { RE2 } from 're2-wasm';
import type { StringMatch } from '../config/networking.schema.js';

export type StringMatcher = (value: string) => boolean;

/** istio-semantics §1.2: a regex longer than 1024 characters, or one that is not RE2, is rejected. */
export const MAX_REGEX_LENGTH = 1024;

/** Compiles an RE2 full match, as Envoy's `safe_regex` does; throws with RE2's reason when invalid. */
export function compileFullRegex(pattern: string): RE2 {
  if (pattern.length > MAX_REGEX_LENGTH)
    throw new Error(`regex is longer than ${MAX_REGEX_LENGTH} characters`);
  return new RE2(`^(?:${pattern})$`, 'u');
}

/** Returns why a regex is rejected, or undefined when RE2 accepts it. */
export function regexProblem(pattern: string): string | undefined {
  try {
    compileFullRegex(pattern);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** `{}` or `regex: "*"` means "present" (headers and queryParams, §1.2). */
export function isPresenceMatch(match: StringMatch): boolean {
  return (
    (match.exact === undefined && match.prefix === undefined && match.regex === undefined) ||
    match.regex === '*'
  );
}

/**
 * Compiles an Istio StringMatch. `ignoreCase` applies to exact and prefix only (`ignoreUriCase`);
 * a regex is case-sensitive unless it says `(?i)`.
 */
export function compileStringMatch(match: StringMatch, ignoreCase = false): StringMatcher {
  if (match.exact !== undefined) {
    const exact = ignoreCase ? match.exact.toLowerCase() : match.exact;
    return ignoreCase ? (v) => v.toLowerCase() === exact : (v) => v === exact;
  }
  if (match.prefix !== undefined) {
    const prefix = ignoreCase ? match.prefix.toLowerCase() : match.prefix;
    return ignoreCase ? (v) => v.toLowerCase().startsWith(prefix) : (v) => v.startsWith(prefix);
  }
  if (match.regex !== undefined) {
    const re = compileFullRegex(match.regex);
    return (v) => re.test(v);
  }
  return () => true;
}

/** How many of exact/prefix/regex are set; a StringMatch is a oneof. */
export function stringMatchKinds(match: StringMatch): number {
  return (
    (match.exact !== undefined ? 1 : 0) +
    (match.prefix !== undefined ? 1 : 0) +
    (match.regex !== undefined ? 1 : 0)
  );
}
