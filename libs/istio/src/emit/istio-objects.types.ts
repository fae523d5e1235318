/** The Istio objects the compiler emits, typed as far as the compiler builds them. */

export interface ObjectMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface IstioObjectBase<K extends string, V extends string, S> {
  apiVersion: V;
  kind: K;
  metadata: ObjectMeta;
  spec: S;
}

export type IstioStringMatch = { exact?: string; prefix?: string; regex?: string };

export interface IstioHttpMatch {
  uri?: IstioStringMatch;
  ignoreUriCase?: boolean;
  scheme?: IstioStringMatch;
  method?: IstioStringMatch;
  authority?: IstioStringMatch;
  headers?: Record<string, IstioStringMatch>;
  withoutHeaders?: Record<string, IstioStringMatch>;
  queryParams?: Record<string, IstioStringMatch>;
  port?: number;
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
}

export interface IstioHeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

export interface IstioHeaders {
  request?: IstioHeaderOperations;
  response?: IstioHeaderOperations;
}

export interface IstioRouteDestination {
  destination: { host: string; subset?: string; port?: { number: number } };
  weight: number;
  headers?: IstioHeaders;
}

export interface IstioHttpRoute {
  name: string;
  match?: IstioHttpMatch[];
  route?: IstioRouteDestination[];
  redirect?: { uri?: string; authority?: string; redirectCode?: number };
  fault?: {
    delay?: { fixedDelay: string; percentage?: { value: number } };
    abort?: { httpStatus: number; percentage?: { value: number } };
  };
  mirror?: { host: string; subset?: string; port?: { number: number } };
  mirrorPercentage?: { value: number };
  timeout?: string;
  retries?: { attempts: number; perTryTimeout?: string; retryOn?: string; retryRemoteLocalities?: boolean };
  headers?: IstioHeaders;
}

export type VirtualService = IstioObjectBase<
  'VirtualService',
  'networking.istio.io/v1',
  { hosts: string[]; http: IstioHttpRoute[] }
>;

export interface IstioTrafficPolicy {
  connectionPool?: Record<string, unknown>;
  outlierDetection?: Record<string, unknown>;
  loadBalancer?: Record<string, unknown>;
}

export type DestinationRule = IstioObjectBase<
  'DestinationRule',
  'networking.istio.io/v1',
  {
    host: string;
    subsets?: Array<{ name: string; labels: Record<string, string>; trafficPolicy?: IstioTrafficPolicy }>;
    trafficPolicy?: IstioTrafficPolicy;
  }
>;

export type AuthorizationPolicy = IstioObjectBase<
  'AuthorizationPolicy',
  'security.istio.io/v1',
  {
    selector: { matchLabels: Record<string, string> };
    action: 'ALLOW' | 'DENY';
    rules: Array<{
      from?: Array<{ source: Record<string, string[]> }>;
      to?: Array<{ operation: Record<string, string[]> }>;
      when?: Array<{ key: string; values: string[] }>;
    }>;
  }
>;

export type EnvoyFilter = IstioObjectBase<
  'EnvoyFilter',
  'networking.istio.io/v1alpha3',
  {
    workloadSelector: { labels: Record<string, string> };
    configPatches: Array<{ applyTo: string; match: Record<string, unknown>; patch: Record<string, unknown> }>;
  }
>;

export type WasmPlugin = IstioObjectBase<
  'WasmPlugin',
  'extensions.istio.io/v1alpha1',
  Record<string, unknown> & { selector: { matchLabels: Record<string, string> }; url: string }
>;

export type IstioObject = VirtualService | DestinationRule | AuthorizationPolicy | EnvoyFilter | WasmPlugin;

export type IstioKind = IstioObject['kind'];
