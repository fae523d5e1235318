import fc from 'fast-check';
import type { PolicyBody, PolicyKind, PolicySpecs, RouteMatch } from '../src/index.js';

/** Schema-valid policy bodies of every kind (values need not make sense: that is the catalogue's job). */

export const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
const duration = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('ms', 's', 'm', 'h'))
  .map(([n, u]) => `${n}${u}`);
const text = fc.string({ maxLength: 12 });
const stringMatch = fc.oneof(
  text.map((exact) => ({ exact })),
  text.map((prefix) => ({ prefix })),
  text.map((regex) => ({ regex })),
);
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);

export const routeMatchArb: fc.Arbitrary<RouteMatch> = fc.record(
  {
    uri: stringMatch,
    ignoreUriCase: fc.boolean(),
    method: stringMatch,
    headers: fc.dictionary(headerName, stringMatch, { maxKeys: 2 }),
    withoutHeaders: fc.dictionary(headerName, stringMatch, { maxKeys: 1 }),
    queryParams: fc.dictionary(headerName, stringMatch, { maxKeys: 1 }),
    port: fc.integer({ min: 1, max: 65535 }),
    sourceLabels: fc.dictionary(headerName, text, { maxKeys: 2 }),
    sourceNamespace: dnsLabel,
  },
  { requiredKeys: [] },
);

const pct = fc.double({ min: 0, max: 100, noNaN: true });

const SPECS: { [K in PolicyKind]: fc.Arbitrary<PolicySpecs[K]> } = {
  TrafficSplit: fc.record(
    {
      weights: fc.array(fc.record({ version: dnsLabel, weight: fc.integer({ min: -5, max: 100 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      sticky: fc.oneof(
        fc.record({
          cookie: fc.record({ name: fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/), ttl: duration }),
        }),
        fc.record({ header: headerName }),
      ),
    },
    { requiredKeys: ['weights'] },
  ),
  RequestRouting: fc.record(
    {
      rules: fc.array(
        fc.oneof(
          fc.record({ match: routeMatchArb, version: dnsLabel }),
          fc.record({
            match: routeMatchArb,
            redirect: fc.record({ uri: text, code: fc.integer({ min: 300, max: 399 }) }),
          }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      fullLink: fc.record({
        header: fc.record({ name: headerName, value: text.filter((s) => s.length > 0) }),
        services: fc.array(
          fc.record({ service: dnsLabel, version: dnsLabel }, { requiredKeys: ['service', 'version'] }),
          { minLength: 1, maxLength: 2 },
        ),
      }),
    },
    { requiredKeys: ['rules'] },
  ),
  FaultInjection: fc.oneof(
    fc.record({
      delay: fc.record({ fixedDelay: duration, percentage: pct }, { requiredKeys: ['fixedDelay'] }),
    }),
    fc.record(
      {
        abort: fc.record(
          { httpStatus: fc.integer({ min: 100, max: 700 }), percentage: pct },
          { requiredKeys: ['httpStatus'] },
        ),
        version: dnsLabel,
      },
      { requiredKeys: ['abort'] },
    ),
  ),
  TrafficMirror: fc.record(
    {
      destination: fc.record(
        { version: dnsLabel, port: fc.integer({ min: 1, max: 65535 }) },
        { requiredKeys: ['version'] },
      ),
      percentage: pct,
    },
    { requiredKeys: ['destination'] },
  ),
  Timeout: fc.record({ timeout: duration }),
  Retry: fc.record(
    {
      attempts: fc.integer({ min: -1, max: 10 }),
      perTryTimeout: duration,
      retryOn: fc.array(fc.constantFrom('5xx', 'reset', '503'), { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ['attempts'] },
  ),
  CircuitBreaker: fc.record(
    {
      version: dnsLabel,
      connectionPool: fc.record({
        tcp: fc.record(
          { maxConnections: fc.integer({ min: 0, max: 1000 }), connectTimeout: duration },
          { requiredKeys: ['maxConnections'] },
        ),
      }),
      outlierDetection: fc.record(
        { consecutive5xxErrors: fc.nat(20), interval: duration, maxEjectionPercent: fc.nat(100) },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['outlierDetection'] },
  ),
  LoadBalancer: fc.oneof(
    fc.record(
      {
        simple: fc.constantFrom('ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH' as const),
        version: dnsLabel,
      },
      { requiredKeys: ['simple'] },
    ),
    fc.record({ consistentHash: fc.record({ httpHeaderName: headerName }) }),
    fc.record({
      localityFailover: fc.array(fc.record({ from: dnsLabel, to: dnsLabel }), { minLength: 1, maxLength: 2 }),
    }),
  ),
  RateLimit: fc.record(
    {
      requests: fc.integer({ min: 0, max: 1000 }),
      unit: fc.constantFrom('second', 'minute' as const),
      burst: fc.nat(2000),
    },
    { requiredKeys: ['requests', 'unit'] },
  ),
  AccessControl: fc.record(
    {
      action: fc.constantFrom('ALLOW', 'DENY' as const),
      from: fc.record(
        {
          ipBlocks: fc.array(fc.constantFrom('10.0.0.0/8', '1.2.3.4'), { minLength: 1, maxLength: 2 }),
          namespaces: fc.array(dnsLabel, { minLength: 1, maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
      to: fc.record(
        {
          methods: fc.array(fc.constantFrom('GET', 'POST'), { minLength: 1, maxLength: 2 }),
          paths: fc.array(fc.constantFrom('/a', '/b*'), { minLength: 1, maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
      headers: fc.dictionary(
        headerName,
        fc.array(
          text.filter((s) => s.length > 0),
          { minLength: 1, maxLength: 2 },
        ),
        { maxKeys: 2 },
      ),
    },
    { requiredKeys: ['action'] },
  ),
  // fast-check's JsonValue and zod's JSON type are the same values under different declarations.
  Plugin: fc.record(
    {
      url: fc.constantFrom('oci://r.example/p:1', 'https://r.example/p.wasm'),
      sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
      phase: fc.constantFrom('AUTHN', 'AUTHZ', 'STATS', 'UNSPECIFIED_PHASE' as const),
      priority: fc.integer({ min: -10, max: 1000 }),
      config: fc.dictionary(headerName, fc.jsonValue(), { maxKeys: 3 }),
      env: fc.array(
        fc.oneof(
          fc.record({ name: fc.constantFrom('A', 'B_1'), value: text }),
          fc.record({ name: fc.constantFrom('C'), fromHost: fc.constant(true as const) }),
        ),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: ['url'] },
  ) as fc.Arbitrary<PolicySpecs['Plugin']>,
  HeaderPolicy: fc.record(
    {
      request: fc.record(
        {
          set: fc.dictionary(headerName, text, { maxKeys: 2 }),
          remove: fc.array(headerName, { minLength: 0, maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['request'] },
  ),
};

export const policyBodyArb: fc.Arbitrary<PolicyBody> = fc
  .constantFrom(...(Object.keys(SPECS) as PolicyKind[]))
  .chain((kind) =>
    fc
      .record({
        name: dnsLabel,
        target: fc.record(
          {
            namespace: dnsLabel,
            service: dnsLabel,
            port: fc.integer({ min: 1, max: 65535 }),
            match: routeMatchArb,
          },
          { requiredKeys: ['namespace', 'service'] },
        ),
        spec: SPECS[kind] as fc.Arbitrary<unknown>,
      })
      .map((body) => ({ ...body, kind }) as PolicyBody),
  );
