import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf } from './k8s-protobuf.decoder.js';
import { ProtobufError } from './protobuf-wire.util.js';

/** A minimal protobuf encoder for the test: enough to build what kubectl's typed clients send. */
function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const bytes = (field: number, data: number[]) => [
  ...varint((field << 3) | 2),
  ...varint(data.length),
  ...data,
];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);
const int = (field: number, n: number) => [...varint(field << 3), ...varint(n)];
const entry = (field: number, k: string, v: string) => bytes(field, [...str(1, k), ...str(2, v)]);

function envelope(apiVersion: string, kind: string, raw: number[]): Buffer {
  return Buffer.from([
    0x6b,
    0x38,
    0x73,
    0x00,
    ...bytes(1, [...str(1, apiVersion), ...str(2, kind)]),
    ...bytes(2, raw),
    ...str(3, ''),
    ...str(4, ''),
  ]);
}

describe('Kubernetes protobuf request bodies', () => {
  it('decodes the Namespace `kubectl create namespace` sends, dropping zero values like omitempty', () => {
    // Go's generated marshallers write empty strings and empty messages too.
    const meta = [...str(1, 'demo'), ...str(2, ''), ...str(3, ''), ...int(7, 0), ...bytes(8, [])];
    const body = envelope('v1', 'Namespace', [...bytes(1, meta), ...bytes(2, []), ...bytes(3, str(1, ''))]);
    expect(decodeKubernetesProtobuf(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'demo' },
    });
  });

  it('decodes a Deployment from `kubectl create deployment` (maps, repeated messages, replicas 0 kept)', () => {
    const labels = entry(11, 'app', 'web');
    const container = [
      ...str(1, 'nginx'),
      ...str(2, 'nginx:1.25'),
      ...bytes(6, [...int(3, 80), ...str(4, 'TCP')]),
      ...bytes(8, []),
    ];
    const template = [...bytes(1, labels), ...bytes(2, bytes(2, container))];
    const spec = [...int(1, 0), ...bytes(2, entry(1, 'app', 'web')), ...bytes(3, template), ...bytes(4, [])];
    const decoded = decodeKubernetesProtobuf(
      envelope('apps/v1', 'Deployment', [
        ...bytes(1, [...str(1, 'web'), ...labels]),
        ...bytes(2, spec),
        ...bytes(3, []),
      ]),
    );
    expect(decoded).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] },
            ],
          },
        },
      },
    });
  });

  it('refuses kinds it has no schema for, and bodies without the envelope', () => {
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'Node', []))).toThrow(
      'protobuf bodies of kind Node are not supported',
    );
    expect(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Namespace"}'))).toThrow(ProtobufError);
  });

  it('property: names and labels survive encoding and decoding', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ minLength: 1, maxLength: 8 }), {
          maxKeys: 4,
        }),
        (name, labels) => {
          const meta = [...str(1, name), ...Object.entries(labels).flatMap(([k, v]) => entry(11, k, v))];
          const decoded = decodeKubernetesProtobuf(
            envelope('v1', 'ConfigMap', [
              ...bytes(1, meta),
              ...Object.entries(labels).flatMap(([k, v]) => entry(2, k, v)),
            ]),
          );
          expect(decoded['metadata']).toEqual(Object.keys(labels).length ? { name, labels } : { name });
          if (Object.keys(labels).length) expect(decoded['data']).toEqual(labels);
        },
      ),
    );
  });

  it('property: arbitrary bytes after the prefix decode or fail with ProtobufError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (junk) => {
        try {
          decodeKubernetesProtobuf(Buffer.from([0x6b, 0x38, 0x73, 0x00, ...junk]));
        } catch (err) {
          expect(err).toBeInstanceOf(ProtobufError);
        }
      }),
    );
  });
});
