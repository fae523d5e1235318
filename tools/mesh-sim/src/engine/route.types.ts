import type { RE2 } from 're2-wasm';
import type { HeaderOps } from '../config/networking.schema.js';
import type { SimRequest } from './engine.types.js';
import type { RetryPolicy } from './retry-policy.util.js';
import type { StringMatcher } from './string-match.util.js';

/** A request-time test; `path` has no query string and `query` has no `?`. */
export type RequestPredicate = (req: SimRequest, path: string, query: string) => boolean;

export interface CompiledMatch {
  /** Config-time selectors (istio-semantics §1.2): they decide which proxies get the route. */
  sourceLabels: Readonly<Record<string, string>> | undefined;
  sourceNamespace: string | undefined;
  port: number | undefined;
  appliesToSidecars: boolean;
  predicates: RequestPredicate[];
  /** The `uri.prefix` this match tested, which `rewrite.uri` replaces. */
  uriPrefix: string | undefined;
}

export interface DestinationRef {
  /** FQDN after short-name resolution in the VirtualService's namespace (§1.1). */
  host: string;
  subset: string | undefined;
  port: number | undefined;
}

export interface WeightedDestination extends DestinationRef {
  weight: number;
  headers: HeaderOps | undefined;
}

export type RouteAction =
  | { kind: 'route'; destinations: WeightedDestination[]; totalWeight: number }
  | { kind: 'redirect'; code: number }
  | { kind: 'direct'; status: number; bodyBytes: number }
  | { kind: 'delegate' };

export interface CompiledFault {
  delayMs: number;
  /** Probabilities in [0, 1] after the §1.6 fraction conversion. */
  delayProbability: number;
  abortProbability: number;
  abortCode: number;
  abortGrpcStatus: number;
}

export interface CompiledCors {
  originMatchers: StringMatcher[];
  ignoreUnmatched: boolean;
}

export interface CompiledRewrite {
  uri: string | undefined;
  regex: { re: RE2; replacement: string } | undefined;
  authority: string | undefined;
}

export interface CompiledRoute {
  index: number;
  name: string;
  /** Empty for a catch-all rule. */
  matches: CompiledMatch[];
  action: RouteAction;
  fault: CompiledFault | undefined;
  mirrors: Array<{ destination: DestinationRef; probability: number }>;
  timeoutMs: number | undefined;
  retry: RetryPolicy;
  requestHeaders: HeaderOps | undefined;
  rewrite: CompiledRewrite | undefined;
  cors: CompiledCors | undefined;
}

export interface CompiledVirtualService {
  uid: string;
  name: string;
  namespace: string;
  createdMs: number;
  hosts: string[];
  exportTo: string[];
  routes: CompiledRoute[];
}
