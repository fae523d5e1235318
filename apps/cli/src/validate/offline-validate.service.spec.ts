import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findingLine } from '../files/policy-sources.util.js';
import { inferServices } from './inferred-services.util.js';
import { documentPath, LIVE_CODES, SNAPSHOT_CODES, validateOffline } from './offline-validate.service.js';
import { parseServicesFile } from './services-file.schema.js';

const doc = (kind: string, name: string, spec: Record<string, unknown>, namespace = 'shop') =>
  stringify({ apiVersion: 'heliomesh.io/v1alpha1', kind, metadata: { name, namespace }, spec });

const split = (weights: Array<[string, number]>, name = 'reviews-split') =>
  doc('TrafficSplit', name, {
    target: { service: 'reviews' },
    weights: weights.map(([version, weight]) => ({ version, weight })),
  });

const SERVICES = stringify([
  {
    name: 'reviews',
    namespace: 'shop',
    ports: [{ name: 'http', port: 9080 }],
    versions: [{ name: 'v1' }, { name: 'v2', pods: 2 }],
  },
]);

describe('offline validate', () => {
  it('passes valid policies with no findings, and names the skipped checks', () => {
    const report = validateOffline([
      {
        name: 'ok.yaml',
        text: split([
          ['v1', 90],
          ['v2', 10],
        ]),
      },
    ]);
    expect(report).toMatchObject({ files: 1, policies: 1, errors: 0, warnings: 0, findings: [] });
    expect(report.skipped.map((d) => d.code)).toEqual([...SNAPSHOT_CODES].sort());
    expect(report.notOffline.map((d) => d.code)).toEqual([...LIVE_CODES].sort());
  });

  it('reports schema problems at file:document:path, without a server', () => {
    const text = `${split([['v1', 100]])}---\n${doc('Retry', 'r', { target: { service: 'ratings' }, attempts: 2, colour: 'red' })}`;
    const report = validateOffline([{ name: 'p.yaml', text }]);
    expect(report.errors).toBe(1);
    expect(report.findings.map(findingLine)).toEqual([
      'p.yaml:1:$.spec.colour HM0001 error: unknown field "colour": remove it or check its spelling',
    ]);
  });

  it('runs the validation catalogue and points into the document form of the policy', () => {
    const fault = doc('FaultInjection', 'chaos', {
      target: { service: 'ratings', match: { uri: { regex: '(a' } } },
      abort: { httpStatus: 700, percentage: 5 },
    });
    const report = validateOffline([
      {
        name: 'a.yaml',
        text: split([
          ['v1', -5],
          ['v2', 10],
        ]),
      },
      { name: 'b.yaml', text: fault },
    ]);
    expect(report.findings.map((f) => `${f.file}:${f.document}:${f.path} ${f.code} ${f.severity}`)).toEqual([
      'a.yaml:0:$.spec.weights HM1004 info',
      'a.yaml:0:$.spec.weights[0].weight HM1001 error',
      'b.yaml:0:$.spec.abort.httpStatus HM1012 error',
      'b.yaml:0:$.spec.target.match.uri.regex HM1006 error',
    ]);
    expect(report.errors).toBe(3);
  });

  it('finds conflicts between policies of different files, and duplicates', () => {
    const report = validateOffline([
      {
        name: 'a.yaml',
        text: split(
          [
            ['v1', 50],
            ['v2', 50],
          ],
          'one',
        ),
      },
      {
        name: 'b.yaml',
        text: `${split(
          [
            ['v1', 10],
            ['v2', 90],
          ],
          'two',
        )}---\n${split([['v1', 1]], 'one')}`,
      },
    ]);
    const codes = report.findings.map((f) => `${f.file}:${f.document} ${f.code}`);
    expect(codes).toContain('b.yaml:1 BUNDLE_DUPLICATE');
    expect(codes.some((c) => c.endsWith('HM5001'))).toBe(true);
    expect(report.findings.find((f) => f.code === 'BUNDLE_DUPLICATE')!.message).toContain(
      'already defined at a.yaml:0',
    );
  });

  it('skips what needs the cluster without --services, and checks it with them', () => {
    const text = `${split([
      ['v1', 50],
      ['v9', 50],
    ])}---\n${doc('Timeout', 't', { target: { service: 'ghost' }, timeout: '1s' })}`;
    expect(validateOffline([{ name: 'p.yaml', text }]).errors).toBe(0);
    const checked = validateOffline([{ name: 'p.yaml', text }], { name: 'services.yaml', text: SERVICES });
    expect(checked.skipped).toEqual([]);
    expect(
      checked.findings.filter((f) => f.severity === 'error').map((f) => `${f.document}:${f.path} ${f.code}`),
    ).toEqual(['0:$.spec.weights[1].version HM1003', '1:$.spec.target HM0002']);
  });

  it('reports a bad services file as findings on that file, and compiles nothing', () => {
    const report = validateOffline([{ name: 'p.yaml', text: split([['v1', -1]]) }], {
      name: 'services.yaml',
      text: stringify([{ name: 'reviews', namespace: 'shop', versions: [{ name: 'v1', replicas: 2 }] }]),
    });
    expect(report.findings.map(findingLine)).toEqual([
      'services.yaml:0:$[0].versions[0].replicas SERVICES_INVALID error: unknown field "replicas": remove it or check its spelling',
    ]);
  });

  it('never throws, whatever the files hold (property)', () => {
    const anyDoc = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => stringify(v)),
      fc
        .record({
          kind: fc.constantFrom(
            'TrafficSplit',
            'FaultInjection',
            'RateLimit',
            'AccessControl',
            'Retry',
            'Nope',
          ),
          name: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
          spec: fc.dictionary(
            fc.constantFrom('target', 'weights', 'abort', 'requests', 'unit', 'action', 'attempts'),
            fc.jsonValue(),
          ),
        })
        .map((d) => doc(d.kind, d.name, d.spec)),
    );
    fc.assert(
      fc.property(
        fc.array(anyDoc, { maxLength: 4 }),
        fc.option(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => stringify(v)),
          ),
        ),
        (docs, services) => {
          const report = validateOffline(
            [{ name: 'fuzz.yaml', text: docs.join('\n---\n') }],
            services === null ? undefined : { name: 's.yaml', text: services },
          );
          expect(report.errors).toBe(report.findings.filter((f) => f.severity === 'error').length);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('services file', () => {
  it('reads `heliomesh get services -o yaml` output, leaving removed services out', () => {
    const viewed = stringify([
      {
        id: 'a1',
        cluster: 'sandbox',
        namespace: 'shop',
        name: 'reviews',
        ports: [{ name: 'http', port: 9080, protocol: 'TCP' }],
        versions: [{ name: 'v1', labels: { version: 'v1' }, pods: 1 }],
        discoveredAt: '2026-01-01T00:00:00Z',
        removed: false,
      },
      {
        id: 'a2',
        cluster: 'sandbox',
        namespace: 'shop',
        name: 'old',
        ports: [],
        versions: [],
        discoveredAt: 'x',
        removed: true,
      },
    ]);
    const parsed = parseServicesFile(viewed, 's.yaml');
    expect(parsed).toEqual({
      ok: true,
      value: {
        mtls: {},
        services: [
          {
            name: 'reviews',
            namespace: 'shop',
            ports: [{ name: 'http', port: 9080, protocol: 'TCP' }],
            versions: [{ name: 'v1', labels: { version: 'v1' }, pods: 1 }],
          },
        ],
      },
    });
  });

  it('takes the mTLS mode per namespace and defaults labels and pods', () => {
    const parsed = parseServicesFile(
      stringify({
        services: [{ name: 'a', namespace: 'ns', versions: [{ name: 'v1' }] }],
        mtls: { ns: 'STRICT' },
      }),
      's.yaml',
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        mtls: { ns: 'STRICT' },
        services: [{ versions: [{ name: 'v1', labels: { app: 'a', version: 'v1' }, pods: 1 }] }],
      },
    });
  });

  it('never throws, and every problem is a finding on the file (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => stringify(v)),
        ),
        (text) => {
          const parsed = parseServicesFile(text, 's.yaml');
          if (!parsed.ok)
            for (const f of parsed.findings)
              expect(f).toMatchObject({ file: 's.yaml', code: 'SERVICES_INVALID', severity: 'error' });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('stand-in services', () => {
  it('have the versions and ports the policies mention, other services included', () => {
    const services = inferServices([
      {
        name: 'a',
        kind: 'TrafficSplit',
        target: { namespace: 'shop', service: 'reviews', port: 9080 },
        spec: {
          weights: [
            { version: 'v1', weight: 1 },
            { version: 'v2', weight: 1 },
          ],
        },
      },
      {
        name: 'b',
        kind: 'TrafficMirror',
        target: { namespace: 'shop', service: 'reviews' },
        spec: { destination: { service: 'shadow', version: 'v7', port: 81 } },
      },
    ] as never);
    expect(services.map((s) => [s.name, s.versions.map((v) => v.name), s.ports.map((p) => p.port)])).toEqual([
      ['reviews', ['v1', 'v2'], [9080]],
      ['shadow', ['v7'], [81]],
    ]);
  });

  it('maps body paths to document paths', () => {
    expect(documentPath('$.name')).toBe('$.metadata.name');
    expect(documentPath('$.target')).toBe('$.spec.target');
    expect(documentPath('$.target.match.uri')).toBe('$.spec.target.match.uri');
    expect(documentPath('$.spec.weights[0]')).toBe('$.spec.weights[0]');
  });
});
